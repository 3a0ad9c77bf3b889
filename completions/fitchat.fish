function __fitchat_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __fitchat_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __fitchat_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __fitchat_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __fitchat_parse_tokens -S
    set -l unparsed_tokens (__fitchat_tokens -pc)
    switch $unparsed_tokens[1]
    case 'fitchat'
        __fitchat_parse_subcommand 0 'h/help'
        switch $unparsed_tokens[1]
        case 'serve'
            __fitchat_parse_subcommand 0 'host=' 'port=' 'database=' 'cors-origin=+' 'tls-cert=' 'tls-key=' 'node-timeout=' 'send-burst=' 'send-rate=' 'no-listen' 'outbox-retention=' 'log-level=' 'h/help'
        case 'register'
            __fitchat_parse_subcommand 1 'display-name=' 'password-stdin' 'server=' 'profile=' 'json' 'h/help'
        case 'login'
            __fitchat_parse_subcommand 1 'password-stdin' 'server=' 'profile=' 'json' 'h/help'
        case 'logout'
            __fitchat_parse_subcommand 0 'server=' 'profile=' 'json' 'h/help'
        case 'whoami'
            __fitchat_parse_subcommand 0 'server=' 'profile=' 'json' 'h/help'
        case 'token'
            __fitchat_parse_subcommand 0 'server=' 'profile=' 'json' 'h/help'
        case 'rooms'
            __fitchat_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __fitchat_parse_subcommand 0 'server=' 'profile=' 'json' 'h/help'
            case 'create'
                __fitchat_parse_subcommand 1 'member=+' 'server=' 'profile=' 'json' 'h/help'
            case 'dm'
                __fitchat_parse_subcommand 1 'server=' 'profile=' 'json' 'h/help'
            case 'show'
                __fitchat_parse_subcommand 1 'server=' 'profile=' 'json' 'h/help'
            case 'rename'
                __fitchat_parse_subcommand 2 'server=' 'profile=' 'json' 'h/help'
            case 'add'
                __fitchat_parse_subcommand -r 2 'server=' 'profile=' 'json' 'h/help'
            case 'remove'
                __fitchat_parse_subcommand -r 2 'server=' 'profile=' 'json' 'h/help'
            case 'leave'
                __fitchat_parse_subcommand 1 'server=' 'profile=' 'json' 'h/help'
            case 'delete'
                __fitchat_parse_subcommand 1 'server=' 'profile=' 'json' 'h/help'
            end
        case 'send'
            __fitchat_parse_subcommand -r 2 'lines' 'reply-to=' 'idempotency-key=' 'server=' 'profile=' 'json' 'h/help'
        case 'tail'
            __fitchat_parse_subcommand -r 1 'history=' 'since-last' 'events=' 'count=' 'timeout=' 'server=' 'profile=' 'json' 'h/help'
        case 'history'
            __fitchat_parse_subcommand 1 'limit=' 'before=' 'server=' 'profile=' 'json' 'h/help'
        case 'read'
            __fitchat_parse_subcommand 1 'server=' 'profile=' 'json' 'h/help'
        case 'unread'
            __fitchat_parse_subcommand 0 'server=' 'profile=' 'json' 'h/help'
        case 'friends'
            __fitchat_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __fitchat_parse_subcommand 0 'server=' 'profile=' 'json' 'h/help'
            case 'requests'
                __fitchat_parse_subcommand 0 'server=' 'profile=' 'json' 'h/help'
            case 'add'
                __fitchat_parse_subcommand 1 'server=' 'profile=' 'json' 'h/help'
            case 'accept'
                __fitchat_parse_subcommand 1 'server=' 'profile=' 'json' 'h/help'
            case 'decline'
                __fitchat_parse_subcommand 1 'server=' 'profile=' 'json' 'h/help'
            case 'remove'
                __fitchat_parse_subcommand 1 'server=' 'profile=' 'json' 'h/help'
            end
        case 'block'
            __fitchat_parse_subcommand 1 'server=' 'profile=' 'json' 'h/help'
        case 'unblock'
            __fitchat_parse_subcommand 1 'server=' 'profile=' 'json' 'h/help'
        case 'blocks'
            __fitchat_parse_subcommand 0 'server=' 'profile=' 'json' 'h/help'
        case 'search'
            __fitchat_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'users'
                __fitchat_parse_subcommand 1 'server=' 'profile=' 'json' 'h/help'
            case 'messages'
                __fitchat_parse_subcommand 1 'room=' 'server=' 'profile=' 'json' 'h/help'
            end
        case 'repl'
            __fitchat_parse_subcommand 1 'server=' 'profile=' 'json' 'h/help'
        case 'bot'
            __fitchat_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'run'
                __fitchat_parse_subcommand -r 1 'room=+' 'restart=' 'pass-token' 'queue-size=' 'events=' 'per-event' 'name=' 'handler-timeout=' 'concurrency=' 'server=' 'profile=' 'json' 'h/help'
            case 'test'
                __fitchat_parse_subcommand -r 1 'events=' 'per-event' 'name=' 'handler-timeout=' 'concurrency=' 'h/help'
            end
        case 'help'
            __fitchat_parse_subcommand -r 1 
        end
    end
end

function __fitchat_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __fitchat_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __fitchat_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __fitchat_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__fitchat_tokens -p)
    if test -z "$(__fitchat_tokens -t)"
        set -l index (count (__fitchat_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'fitchat' -f
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'serve' -d 'Run the bundled chat server (embedded SQLite unless told otherwise).'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'register' -d 'Create an account and log in to it.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'login' -d 'Log in and keep the token (mode 0600) in the profile.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'logout' -d 'Forget this profile\'s token.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'whoami' -d 'Who the token belongs to, asked of the server.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'token' -d 'Print the saved token (for curl and websocat); nothing else ever prints it.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'rooms' -d 'List and manage your rooms.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'send' -d 'Send a message: one REST call, no live session.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'tail' -d 'Follow the live events of rooms (all of yours if none is named).'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'history' -d 'A room\'s messages, oldest first.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'read' -d 'Mark everything in a room read.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'unread' -d 'Unread counts of the rooms that have any (for cron and status bars).'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'friends' -d 'Friends and friend requests.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'block' -d 'Block a user: no DMs, requests or invitations from them; you see nothing of theirs.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'unblock' -d 'Lift a block.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'blocks' -d 'The users you block.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'search' -d 'Search users, or messages in your rooms.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'repl' -d 'The interactive chat prompt.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'bot' -d 'Run any executable as a chat bot: JSON events on its stdin, JSON frames from its stdout.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" host' -l 'host' -d 'Address to listen on.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" port' -l 'port' -d 'Port to listen on; 0 picks a free one (the bound address is printed).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" database' -l 'database' -d 'SQLite file path (default: under $XDG_DATA_HOME/fitchat), or a postgres:// URL.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve"' -l 'cors-origin' -d 'A browser origin allowed to connect (repeatable).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" tls-cert' -l 'tls-cert' -d 'PEM certificate chain: serve https and wss.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" tls-key' -l 'tls-key' -d 'PEM private key for --tls-cert.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" node-timeout' -l 'node-timeout' -d 'With PostgreSQL: seconds after which a silent node is given up and its users go offline.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" send-burst' -l 'send-burst' -d 'Messages a user may send at once before the rate limit holds them.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" send-rate' -l 'send-rate' -d 'Messages per second a user\'s allowance refills by.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" no-listen' -l 'no-listen' -d 'With PostgreSQL: do not LISTEN for wake-ups, poll only (PgBouncer in transaction mode).'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" outbox-retention' -l 'outbox-retention' -d 'With PostgreSQL: seconds outbox rows are kept for nodes that fall behind.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" log-level' -l 'log-level' -d 'trace, debug, info, notice, warning, error or critical.' -rfka 'trace debug info notice warning error critical'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat register" display-name' -l 'display-name' -d 'A display name.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat register" password-stdin' -l 'password-stdin' -d 'Read the password from the first line of stdin.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat register" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat register" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat register" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat register" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat login" password-stdin' -l 'password-stdin' -d 'Read the password from the first line of stdin.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat login" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat login" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat login" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat login" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat logout" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat logout" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat logout" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat logout" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat whoami" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat whoami" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat whoami" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat whoami" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat token" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat token" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat token" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat token" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms" -eq 1' -fa 'list' -d 'Your rooms: name, id, type, unread count, last message.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms" -eq 1' -fa 'create' -d 'Create a group room that you own.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms" -eq 1' -fa 'dm' -d 'Open (or find) the direct room with a user.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms" -eq 1' -fa 'show' -d 'A room with its participants.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms" -eq 1' -fa 'rename' -d 'Rename a group room.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms" -eq 1' -fa 'add' -d 'Add users to a group room.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms" -eq 1' -fa 'remove' -d 'Remove users from a group room (owner only).'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms" -eq 1' -fa 'leave' -d 'Leave a group room for good.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms" -eq 1' -fa 'delete' -d 'Delete a group room (owner only).'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms list" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms list" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms list" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms create"' -l 'member' -d 'A user to add (repeatable).' -rfka '(__fitchat_custom_completion ---completion rooms create -- --member (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms create" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms create" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms create" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms dm" -eq 1' -fka '(__fitchat_custom_completion ---completion rooms dm -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms dm" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms dm" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms dm" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms dm" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms show" -eq 1' -fka '(__fitchat_custom_completion ---completion rooms show -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms show" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms show" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms show" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms rename" -eq 1' -fka '(__fitchat_custom_completion ---completion rooms rename -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms rename" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms rename" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms rename" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms rename" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms add" -eq 1' -fka '(__fitchat_custom_completion ---completion rooms add -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms add" -ge 2' -fka '(__fitchat_custom_completion ---completion rooms add -- positional@1 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms add" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms add" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms add" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms remove" -eq 1' -fka '(__fitchat_custom_completion ---completion rooms remove -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms remove" -ge 2' -fka '(__fitchat_custom_completion ---completion rooms remove -- positional@1 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms remove" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms remove" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms remove" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms leave" -eq 1' -fka '(__fitchat_custom_completion ---completion rooms leave -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms leave" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms leave" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms leave" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms leave" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat rooms delete" -eq 1' -fka '(__fitchat_custom_completion ---completion rooms delete -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms delete" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms delete" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms delete" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat rooms delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat send" -eq 1' -fka '(__fitchat_custom_completion ---completion send -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat send" lines' -l 'lines' -d 'Send one message per line of stdin (empty lines are skipped).'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat send" reply-to' -l 'reply-to' -d 'Reply to this message (its id, or a unique prefix of it).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat send" idempotency-key' -l 'idempotency-key' -d 'A retry with the same key never posts twice.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat send" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat send" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat send" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat send" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat tail" -ge 1' -fka '(__fitchat_custom_completion ---completion tail -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat tail" history' -l 'history' -d 'First print the last N messages of each room.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat tail" since-last' -l 'since-last' -d 'Resume where the last tail of this profile stopped, missing nothing.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat tail" events' -l 'events' -d 'Only these event types, comma-separated (e.g. new_message,typing_indicator).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat tail" count' -l 'count' -d 'Exit after printing N events.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat tail" timeout' -l 'timeout' -d 'Stop after this many seconds.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat tail" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat tail" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat tail" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat tail" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat history" -eq 1' -fka '(__fitchat_custom_completion ---completion history -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat history" limit' -l 'limit' -d 'How many messages (1 to 200).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat history" before' -l 'before' -d 'Only messages before this seq (paging back).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat history" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat history" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat history" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat history" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat read" -eq 1' -fka '(__fitchat_custom_completion ---completion read -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat read" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat read" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat read" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat read" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat unread" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat unread" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat unread" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat unread" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat friends" -eq 1' -fa 'list' -d 'Your friends, online first.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat friends" -eq 1' -fa 'requests' -d 'Pending requests, incoming and outgoing.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat friends" -eq 1' -fa 'add' -d 'Send a friend request (accepts theirs if they asked first).'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat friends" -eq 1' -fa 'accept' -d 'Accept a user\'s friend request.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat friends" -eq 1' -fa 'decline' -d 'Decline a user\'s friend request.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat friends" -eq 1' -fa 'remove' -d 'End a friendship.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends list" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends list" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends list" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends requests" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends requests" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends requests" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends requests" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat friends add" -eq 1' -fka '(__fitchat_custom_completion ---completion friends add -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends add" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends add" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends add" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat friends accept" -eq 1' -fka '(__fitchat_custom_completion ---completion friends accept -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends accept" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends accept" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends accept" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends accept" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat friends decline" -eq 1' -fka '(__fitchat_custom_completion ---completion friends decline -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends decline" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends decline" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends decline" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends decline" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat friends remove" -eq 1' -fka '(__fitchat_custom_completion ---completion friends remove -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends remove" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends remove" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends remove" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat friends remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat block" -eq 1' -fka '(__fitchat_custom_completion ---completion block -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat block" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat block" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat block" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat block" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat unblock" -eq 1' -fka '(__fitchat_custom_completion ---completion unblock -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat unblock" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat unblock" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat unblock" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat unblock" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat blocks" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat blocks" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat blocks" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat blocks" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat search" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat search" -eq 1' -fa 'users' -d 'Users by username or display name.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat search" -eq 1' -fa 'messages' -d 'Full-text search over your rooms\' messages.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat search users" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat search users" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat search users" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat search users" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat search messages" room' -l 'room' -d 'Only this room.' -rfka '(__fitchat_custom_completion ---completion search messages -- --room (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat search messages" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat search messages" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat search messages" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat search messages" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat repl" -eq 1' -fka '(__fitchat_custom_completion ---completion repl -- positional@0 (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat repl" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat repl" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat repl" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat repl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat bot" -eq 1' -fa 'run' -d 'Keep a bot connected as this profile\'s user (see shared/spec/BOTS.md).'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat bot" -eq 1' -fa 'test' -d 'Feed recorded events (JSON Lines on stdin) to a bot with no server; print the frames it writes.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot run"' -l 'room' -d 'A room to follow (repeatable; default: all of the user\'s rooms).' -rfka '(__fitchat_custom_completion ---completion bot run -- --room (count (__fitchat_tokens -pc)) (__fitchat_tokens -tC))'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot run" restart' -l 'restart' -d 'When to restart the bot: on-failure, always or never.' -rfka 'on-failure always never'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot run" pass-token' -l 'pass-token' -d 'Give the bot FITCHAT_TOKEN (it is withheld by default).'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot run" queue-size' -l 'queue-size' -d 'Events held for a slow bot before the oldest are dropped.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot run" events' -l 'events' -d 'Event types the bot gets, comma-separated (default: all; new_message with --per-event).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot run" per-event' -l 'per-event' -d 'Start the executable once per event (like CGI) instead of once.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot run" name' -l 'name' -d 'The bot\'s name in logs and FITCHAT_BOT_NAME (default: the executable\'s).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot run" handler-timeout' -l 'handler-timeout' -d 'Per-event mode: kill a handler after this many seconds.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot run" concurrency' -l 'concurrency' -d 'Per-event mode: handlers running at once.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot run" server' -l 'server' -d 'Server URL (env FITCHAT_SERVER; default http://127.0.0.1:8000).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot run" profile' -l 'profile' -d 'Profile: one account on one server (env FITCHAT_PROFILE; default \'default\').' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot run" json' -l 'json' -d 'Machine output: one JSON object per line.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot test" events' -l 'events' -d 'Event types the bot gets, comma-separated (default: all; new_message with --per-event).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot test" per-event' -l 'per-event' -d 'Start the executable once per event (like CGI) instead of once.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot test" name' -l 'name' -d 'The bot\'s name in logs and FITCHAT_BOT_NAME (default: the executable\'s).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot test" handler-timeout' -l 'handler-timeout' -d 'Per-event mode: kill a handler after this many seconds.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot test" concurrency' -l 'concurrency' -d 'Per-event mode: handlers running at once.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat bot test" h help' -s 'h' -l 'help' -d 'Show help information.'
