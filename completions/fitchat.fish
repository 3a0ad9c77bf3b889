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
            __fitchat_parse_subcommand 0 'host=' 'port=' 'database=' 'cors-origin=+' 'tls-cert=' 'tls-key=' 'log-level=' 'h/help'
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
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_positional "fitchat" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" host' -l 'host' -d 'Address to listen on.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" port' -l 'port' -d 'Port to listen on; 0 picks a free one (the bound address is printed).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" database' -l 'database' -d 'SQLite file path (default: under $XDG_DATA_HOME/fitchat).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve"' -l 'cors-origin' -d 'A browser origin allowed to connect (repeatable).' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" tls-cert' -l 'tls-cert' -d 'PEM certificate chain: serve https and wss.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" tls-key' -l 'tls-key' -d 'PEM private key for --tls-cert.' -rfka ''
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" log-level' -l 'log-level' -d 'trace, debug, info, notice, warning, error or critical.' -rfka 'trace debug info notice warning error critical'
complete -c 'fitchat' -n '__fitchat_should_offer_completions_for_flags_or_options "fitchat serve" h help' -s 'h' -l 'help' -d 'Show help information.'
