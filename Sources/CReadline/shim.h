// GNU readline (libreadline-dev) for the REPL. stdio.h first: readline.h uses FILE.
// Readline's settings are C globals, which Swift 6 rightly refuses to touch from Swift;
// these accessors keep every such access here, on the one thread that drives readline.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

/// Callback mode without readline's own signal handlers, and our completion function.
static inline void fitchat_rl_configure(rl_completion_func_t *complete) {
    rl_readline_name = "fitchat";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_attempted_completion_function = complete;
    rl_completer_word_break_characters = " \t\n";
}

/// The line being edited ("" before the first prompt).
static inline const char *fitchat_rl_line(void) {
    return rl_line_buffer ? rl_line_buffer : "";
}

/// Ctrl-C: forget the half-typed line and start afresh on a new line.
static inline void fitchat_rl_discard_line(void) {
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_point = 0;
    rl_end = 0;
}

/// Tells readline not to fall back to file name completion.
static inline void fitchat_rl_completion_over(void) {
    rl_attempted_completion_over = 1;
}

/// The newest history entry, or NULL when there is none.
static inline const char *fitchat_history_last(void) {
    HIST_ENTRY *entry = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    return entry ? entry->line : NULL;
}
