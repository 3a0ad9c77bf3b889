#!/bin/bash

__fitchat_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__fitchat_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__fitchat_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__fitchat_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_fitchat() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __fitchat_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    serve|register|login|logout|whoami|token|rooms|send|tail|history|export|read|unread|edit|delete|react|download|friends|block|unblock|blocks|search|webhook|repl|bot|help)
        # Offer subcommand argument completions
        "_fitchat_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'serve register login logout whoami token rooms send tail history export read unread edit delete react download friends block unblock blocks search webhook repl bot help' -- "${cur}"))
        ;;
    esac
}

_fitchat_serve() {
    repeating_flags=()
    non_repeating_flags=(--no-listen --version -h --help)
    repeating_options=(--cors-origin)
    non_repeating_options=(--host --port --database --tls-cert --tls-key --node-timeout --send-burst --send-rate --poll-interval --outbox-retention --request-timeout --idle-timeout --max-upload --metrics-listen --log-level)
    __fitchat_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--host')
        return
        ;;
    '--port')
        return
        ;;
    '--database')
        return
        ;;
    '--cors-origin')
        return
        ;;
    '--tls-cert')
        return
        ;;
    '--tls-key')
        return
        ;;
    '--node-timeout')
        return
        ;;
    '--send-burst')
        return
        ;;
    '--send-rate')
        return
        ;;
    '--poll-interval')
        return
        ;;
    '--outbox-retention')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--idle-timeout')
        return
        ;;
    '--max-upload')
        return
        ;;
    '--metrics-listen')
        return
        ;;
    '--log-level')
        __fitchat_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    esac
}

_fitchat_register() {
    repeating_flags=()
    non_repeating_flags=(--password-stdin --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--display-name --server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--display-name')
        return
        ;;
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_login() {
    repeating_flags=()
    non_repeating_flags=(--password-stdin --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_logout() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_whoami() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_token() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_rooms() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __fitchat_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|create|dm|show|rename|add|remove|leave|delete)
        # Offer subcommand argument completions
        "_fitchat_rooms_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list create dm show rename add remove leave delete' -- "${cur}"))
        ;;
    esac
}

_fitchat_rooms_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_rooms_create() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(--member)
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--member')
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion rooms create -- --member "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_rooms_dm() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion rooms dm -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_rooms_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion rooms show -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_rooms_rename() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion rooms rename -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_rooms_add() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion rooms add -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    *)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion rooms add -- positional@1 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_rooms_remove() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion rooms remove -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    *)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion rooms remove -- positional@1 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_rooms_leave() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion rooms leave -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_rooms_delete() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion rooms delete -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_send() {
    repeating_flags=()
    non_repeating_flags=(--lines --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--reply-to --idempotency-key --timeout --file --filename --server --profile)
    __fitchat_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--reply-to')
        return
        ;;
    '--idempotency-key')
        return
        ;;
    '--timeout')
        return
        ;;
    '--file')
        return
        ;;
    '--filename')
        return
        ;;
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion send -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_tail() {
    repeating_flags=()
    non_repeating_flags=(--since-last --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--history --events --count --timeout --server --profile)
    __fitchat_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--history')
        return
        ;;
    '--events')
        return
        ;;
    '--count')
        return
        ;;
    '--timeout')
        return
        ;;
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion tail -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_history() {
    repeating_flags=()
    non_repeating_flags=(--all --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--limit --before --server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--limit')
        return
        ;;
    '--before')
        return
        ;;
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion history -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_export() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--since --server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--since')
        return
        ;;
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion export -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_read() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion read -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_unread() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_edit() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_delete() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_react() {
    repeating_flags=()
    non_repeating_flags=(--off --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_download() {
    repeating_flags=()
    non_repeating_flags=(--force --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--output -o --server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--output'|'-o')
        return
        ;;
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_friends() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __fitchat_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|requests|add|accept|decline|remove)
        # Offer subcommand argument completions
        "_fitchat_friends_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list requests add accept decline remove' -- "${cur}"))
        ;;
    esac
}

_fitchat_friends_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_friends_requests() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_friends_add() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion friends add -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_friends_accept() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion friends accept -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_friends_decline() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion friends decline -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_friends_remove() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion friends remove -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_block() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion block -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_unblock() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion unblock -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_blocks() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_search() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __fitchat_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    users|messages)
        # Offer subcommand argument completions
        "_fitchat_search_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'users messages' -- "${cur}"))
        ;;
    esac
}

_fitchat_search_users() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_search_messages() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--room --server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--room')
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion search messages -- --room "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_webhook() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __fitchat_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|list|delete)
        # Offer subcommand argument completions
        "_fitchat_webhook_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create list delete' -- "${cur}"))
        ;;
    esac
}

_fitchat_webhook_create() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion webhook create -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_webhook_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion webhook list -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_webhook_delete() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion webhook delete -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_repl() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion repl -- positional@0 "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_fitchat_bot() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __fitchat_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    run|serve|test)
        # Offer subcommand argument completions
        "_fitchat_bot_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'run serve test' -- "${cur}"))
        ;;
    esac
}

_fitchat_bot_run() {
    repeating_flags=()
    non_repeating_flags=(--pass-token --per-event --version -h --help)
    repeating_options=(--room --schedule --command)
    non_repeating_options=(--restart --queue-size --replay-limit --events --name --handler-timeout --concurrency --server --profile)
    __fitchat_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--room')
        __fitchat_add_completions -W "$(__fitchat_custom_complete ---completion bot run -- --room "${COMP_CWORD}" "$(__fitchat_cursor_index_in_current_word)")"
        return
        ;;
    '--restart')
        __fitchat_add_completions -W 'on-failure'$'\n''always'$'\n''never'
        return
        ;;
    '--queue-size')
        return
        ;;
    '--replay-limit')
        return
        ;;
    '--schedule')
        return
        ;;
    '--events')
        return
        ;;
    '--name')
        return
        ;;
    '--handler-timeout')
        return
        ;;
    '--concurrency')
        return
        ;;
    '--command')
        return
        ;;
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_fitchat_bot_serve() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--server --profile)
    __fitchat_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __fitchat_add_completions -o plusdirs -fX '!*.@(toml)'
        return
        ;;
    esac
}

_fitchat_bot_test() {
    repeating_flags=()
    non_repeating_flags=(--per-event --version -h --help)
    repeating_options=(--timer --command)
    non_repeating_options=(--events --name --handler-timeout --concurrency)
    __fitchat_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--timer')
        return
        ;;
    '--events')
        return
        ;;
    '--name')
        return
        ;;
    '--handler-timeout')
        return
        ;;
    '--concurrency')
        return
        ;;
    '--command')
        return
        ;;
    esac
}

_fitchat_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __fitchat_offer_flags_options -1
}

complete -o filenames -F _fitchat fitchat

# fitchat: `@user` holds '@', a word break for readline (hostnames): bash splits `@ann` into
# `@` and `ann`, and would quote a completed `@ann` to `\@ann` as a file name. Such a word is
# put back together before completing and completed as a plain word.
_fitchat_at_names() {
    if [[ "${2}" == @?* && "${COMP_CWORD}" -gt 0 && "${COMP_WORDS[COMP_CWORD-1]}" == @ ]]; then
        COMP_WORDS=("${COMP_WORDS[@]::COMP_CWORD-1}" "@${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[@]:COMP_CWORD+1}")
        ((COMP_CWORD--))
    fi
    _fitchat "$@"
    if [[ "${2}" == @* ]]; then compopt +o filenames 2>/dev/null; fi
    return 0
}
complete -o filenames -F _fitchat_at_names fitchat
