#ifndef CRPIN_CNCURSES_SHIM_H
#define CRPIN_CNCURSES_SHIM_H

// The wide-character curses API (get_wch, add_wch, setcchar) needs this before curses.h.
#define _XOPEN_SOURCE_EXTENDED 1

#include <errno.h>
#include <poll.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// MARK: - Accessors for macros and globals Swift cannot import

static inline attr_t crpin_attr_bold(void) { return A_BOLD; }
static inline attr_t crpin_attr_reverse(void) { return A_REVERSE; }
static inline attr_t crpin_attr_dim(void) { return A_DIM; }
static inline attr_t crpin_attr_underline(void) { return A_UNDERLINE; }

static inline WINDOW *crpin_stdscr(void) { return stdscr; }
static inline FILE *crpin_stdin(void) { return stdin; }
static inline FILE *crpin_stdout(void) { return stdout; }
static inline int crpin_colors(void) { return COLORS; }
static inline int crpin_color_pairs(void) { return COLOR_PAIRS; }
static inline void crpin_getmaxyx(WINDOW *window, int *rows, int *columns) {
  int y = 0, x = 0;
  getmaxyx(window, y, x);
  *rows = y;
  *columns = x;
}

/// Ctrl-C must not make the kernel discard output already written: it would drop part of a
/// frame that curses believes is on the screen, and the screen would stay stale (seen under
/// load after a long paste). Sets NOFLSH in curses' program mode; the app discards the
/// typed-ahead input itself (`crpin_discard_typeahead`). Call after cbreak(). 0 on success.
static inline int crpin_keep_output_on_interrupt(void) {
  struct termios modes;
  if (tcgetattr(STDIN_FILENO, &modes) != 0) return -1;
  modes.c_lflag |= NOFLSH;
  if (tcsetattr(STDIN_FILENO, TCSANOW, &modes) != 0) return -1;
  return def_prog_mode();
}

/// Discards input typed ahead and not yet read (the rest of a paste), in curses and the kernel.
static inline void crpin_discard_typeahead(void) { flushinp(); }


// For the backend's tests: function-key codes and the release event, as curses defines them.
static inline int crpin_key_f(int n) { return KEY_F(n); }
static inline mmask_t crpin_button1_released(void) { return BUTTON1_RELEASED; }

static inline mmask_t crpin_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t crpin_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t crpin_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t crpin_button5_pressed(void) { return BUTTON5_PRESSED; }

/// Columns a wide character takes in the current locale (-1: not printable). Declared here
/// because <wchar.h> only declares wcwidth under _XOPEN_SOURCE.
extern int wcwidth(wchar_t character);
static inline int crpin_wcwidth(wchar_t character) { return wcwidth(character); }

/// Whether the current locale encodes text as UTF-8 (call after setlocale).
static inline int crpin_locale_is_utf8(void) {
  const char *codeset = nl_langinfo(CODESET);
  return codeset != NULL && strcmp(codeset, "UTF-8") == 0;
}

// MARK: - Signals: restoring the terminal on a crash, turning interrupts into a flag
//
// The state below is `static`: every Swift object file that inlines these functions gets its
// own private copy of it. Call them from one Swift file only (CursesBackend's
// SignalHandlers.swift), so the handlers and the Swift side share one copy. After editing this
// header, rebuild from clean: SwiftPM does not notice changes to a system library's header.

/// The signal number of the first terminating signal other than SIGINT received, or 0.
static volatile sig_atomic_t crpin_interrupt_signal = 0;

/// How many SIGINTs (Ctrl-C) arrived and are not yet taken: the app handles them as a key.
static volatile sig_atomic_t crpin_keyboard_interrupts = 0;

// Crash signals restore the terminal at once, then die: a real fault (raised by the kernel
// for an instruction) goes on to the Swift runtime's backtracer; the same signal sent with
// kill(1) or abort() takes its default action (terminate, core), so no backtrace banner runs
// and nothing is left running in line mode.
//
// Interrupt signals are every other signal whose default action ends the process: each sets
// a flag, and the main loop ends the session normally (the terminal restored, the record
// whole) and exits 128 + N. SIGINT is counted instead (the app handles Ctrl-C as a key).
// SIGQUIT (Ctrl-\) is one: the user asked to quit, nothing crashed. One whose disposition was
// SIG_IGN at start (nohup, SIGPIPE, SIGXFSZ for --record) stays ignored.
//
// SIGTTIN and SIGTTOU (stop): in the foreground they are handled like Ctrl-Z (curses' own
// SIGTSTP handler gives the terminal back, stops, and redraws on SIGCONT); in the background,
// where the terminal is not crpin's, the process just stops.
#ifdef SIGSTKFLT
#define CRPIN_SIGSTKFLT SIGSTKFLT,
#define CRPIN_HAS_SIGSTKFLT 1
#else
#define CRPIN_SIGSTKFLT
#define CRPIN_HAS_SIGSTKFLT 0
#endif
#ifdef SIGPWR
#define CRPIN_SIGPWR SIGPWR,
#define CRPIN_HAS_SIGPWR 1
#else
#define CRPIN_SIGPWR
#define CRPIN_HAS_SIGPWR 0
#endif
enum {
  crpin_crash_signal_count = 7,
  crpin_interrupt_signal_count = 13 + CRPIN_HAS_SIGSTKFLT + CRPIN_HAS_SIGPWR,
  crpin_stop_signal_count = 2,
};
static const int crpin_crash_signals[crpin_crash_signal_count] = {
  SIGSEGV, SIGILL, SIGABRT, SIGTRAP, SIGBUS, SIGFPE, SIGSYS,
};
static const int crpin_interrupt_signals[crpin_interrupt_signal_count] = {
  SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU, SIGXFSZ,
  SIGVTALRM, SIGPROF, SIGIO, CRPIN_SIGSTKFLT CRPIN_SIGPWR SIGPIPE,
};
static const int crpin_stop_signals[crpin_stop_signal_count] = {SIGTTIN, SIGTTOU};

/// What the handlers need: the terminal modes and signal dispositions found before curses
/// started. Crash handlers chain to the saved dispositions, and
/// crpin_restore_original_handlers puts them back (plus SIGTSTP, which ncurses takes over).
struct crpin_saved_state {
  volatile sig_atomic_t have_termios;
  volatile sig_atomic_t have_actions;
  struct termios termios;
  struct sigaction crash_actions[crpin_crash_signal_count];
  struct sigaction interrupt_actions[crpin_interrupt_signal_count];
  struct sigaction stop_actions[crpin_stop_signal_count];
  struct sigaction tstp_action;
  /// A stack for the crash handler, so a stack overflow can still restore the terminal.
  char alternate_stack[64 * 1024];
  /// The real standard error while it is diverted to a temporary file, or -1.
  volatile sig_atomic_t real_stderr;
};

/// The one saved state. A function-local static, because Swift's importer does not emit
/// file-scope static structs that only inline functions use.
static inline struct crpin_saved_state *crpin_state(void) {
  static struct crpin_saved_state state = {.real_stderr = -1};
  return &state;
}

/// Diverts standard error to an unlinked temporary file while curses owns the screen, so
/// stray messages (a Swift fatal error's text, logging) neither garble the screen nor vanish
/// with the alternate screen. Returns 0 on success; on failure stderr is left alone.
static inline int crpin_capture_stderr(void) {
  if (crpin_state()->real_stderr >= 0) {
    return 0;
  }
  const char *directory = getenv("TMPDIR");
  char path[4096];
  int length = snprintf(path, sizeof path, "%s/crpin-stderr-XXXXXX",
                        directory != NULL && directory[0] != 0 ? directory : "/tmp");
  if (length <= 0 || (size_t)length >= sizeof path) {
    return -1;
  }
  int file = mkstemp(path);
  if (file < 0) {
    return -1;
  }
  unlink(path);
  fflush(stderr);
  int real = dup(STDERR_FILENO);
  if (real < 0 || dup2(file, STDERR_FILENO) < 0) {
    if (real >= 0) close(real);
    close(file);
    return -1;
  }
  close(file);
  crpin_state()->real_stderr = real;
  return 0;
}

/// Async-signal-safe: puts the real standard error back and copies to it whatever was
/// written meanwhile. Call after leaving curses (after endwin, or in the crash handler).
static inline void crpin_release_stderr(void) {
  int real = crpin_state()->real_stderr;
  if (real < 0) {
    return;
  }
  crpin_state()->real_stderr = -1;
  char buffer[4096];
  if (lseek(STDERR_FILENO, 0, SEEK_SET) == 0) {
    ssize_t count;
    while ((count = read(STDERR_FILENO, buffer, sizeof buffer)) > 0) {
      ssize_t written = 0;
      while (written < count) {
        ssize_t n = write(real, buffer + written, (size_t)(count - written));
        if (n <= 0) break;
        written += n;
      }
      if (written < count) break;
    }
  }
  dup2(real, STDERR_FILENO);
  close(real);
}

/// Saves the terminal modes and signal dispositions in force before curses starts.
/// Call once, before newterm. Returns 0 on success.
static inline int crpin_save_original_state(void) {
  if (tcgetattr(STDIN_FILENO, &crpin_state()->termios) == 0) {
    crpin_state()->have_termios = 1;
  }
  for (int i = 0; i < crpin_crash_signal_count; i++) {
    sigaction(crpin_crash_signals[i], NULL, &crpin_state()->crash_actions[i]);
  }
  for (int i = 0; i < crpin_interrupt_signal_count; i++) {
    sigaction(crpin_interrupt_signals[i], NULL, &crpin_state()->interrupt_actions[i]);
  }
  for (int i = 0; i < crpin_stop_signal_count; i++) {
    sigaction(crpin_stop_signals[i], NULL, &crpin_state()->stop_actions[i]);
  }
  sigaction(SIGTSTP, NULL, &crpin_state()->tstp_action);
  crpin_state()->have_actions = 1;
  return crpin_state()->have_termios ? 0 : -1;
}

/// Async-signal-safe: puts the saved terminal modes back and leaves full-screen mode.
static inline void crpin_restore_terminal_now(void) {
  if (crpin_state()->have_termios) {
    tcsetattr(STDIN_FILENO, TCSANOW, &crpin_state()->termios);
  }
  // Leave the alternate screen, show the cursor, every mouse reporting mode off, keypad mode
  // off, attributes reset.
  static const char sequence[] =
    "\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?1l\x1b>\x1b[0m";
  ssize_t ignored = write(STDOUT_FILENO, sequence, sizeof sequence - 1);
  (void)ignored;
}

static inline void crpin_crash_handler(int signal_number, siginfo_t *info, void *context) {
  (void)context;
  int saved_errno = errno;
  crpin_restore_terminal_now();
  crpin_release_stderr();
  // A fault the kernel raised for an instruction (a Swift trap is SIGILL from ud2, int3 is
  // SIGTRAP) goes to whoever had the signal before (the Swift runtime's backtracer); the same
  // signal sent by kill(1), abort() or seccomp takes the default action: the process ends.
  int fault = info != NULL && info->si_code > 0
    && (signal_number == SIGSEGV || signal_number == SIGBUS || signal_number == SIGILL
        || signal_number == SIGFPE || signal_number == SIGTRAP);
  struct sigaction previous;
  memset(&previous, 0, sizeof previous);
  previous.sa_handler = SIG_DFL;
  for (int i = 0; fault && i < crpin_crash_signal_count; i++) {
    if (crpin_crash_signals[i] == signal_number && crpin_state()->have_actions) {
      previous = crpin_state()->crash_actions[i];
    }
  }
  if (previous.sa_handler == SIG_IGN) {
    previous.sa_handler = SIG_DFL;
  }
  sigaction(signal_number, &previous, NULL);
  // A fault happens again when this handler returns, now with the original address for the
  // backtrace. Others are raised again: delivered once this handler returns.
  int refaults = fault && signal_number != SIGTRAP;
  if (!refaults) {
    raise(signal_number);
  }
  errno = saved_errno;
}

static inline void crpin_interrupt_handler(int signal_number) {
  if (signal_number == SIGINT) {
    crpin_keyboard_interrupts = crpin_keyboard_interrupts + 1;
  } else if (crpin_interrupt_signal == 0) {
    crpin_interrupt_signal = signal_number;
  }
}

/// SIGTTIN/SIGTTOU: in the foreground, suspend as Ctrl-Z does (curses' SIGTSTP handler
/// restores the terminal first); in the background stop at once, touching nothing.
static inline void crpin_stop_handler(int signal_number) {
  (void)signal_number;
  int saved_errno = errno;
  if (tcgetpgrp(STDIN_FILENO) == getpgrp()) {
    kill(getpid(), SIGTSTP);
  } else {
    kill(getpid(), SIGSTOP);
  }
  errno = saved_errno;
}

/// Whether `signal_number`'s disposition was SIG_IGN when crpin started.
static inline int crpin_was_ignored(const struct sigaction *saved) {
  return crpin_state()->have_actions && !(saved->sa_flags & SA_SIGINFO) && saved->sa_handler == SIG_IGN;
}

/// Installs the crash and interrupt handlers. Call after newterm, so they replace the
/// SIGINT/SIGTERM handlers ncurses installs there. No SA_RESTART: an interrupt makes a
/// waiting get_wch return ERR at once.
static inline void crpin_install_handlers(void) {
  stack_t current;
  if (sigaltstack(NULL, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
    stack_t stack;
    memset(&stack, 0, sizeof stack);
    stack.ss_sp = crpin_state()->alternate_stack;
    stack.ss_size = sizeof crpin_state()->alternate_stack;
    sigaltstack(&stack, NULL);
  }
  struct sigaction action;
  memset(&action, 0, sizeof action);
  sigemptyset(&action.sa_mask);
  action.sa_sigaction = crpin_crash_handler;
  action.sa_flags = SA_ONSTACK | SA_SIGINFO;
  for (int i = 0; i < crpin_crash_signal_count; i++) {
    sigaction(crpin_crash_signals[i], &action, NULL);
  }
  memset(&action, 0, sizeof action);
  sigemptyset(&action.sa_mask);
  action.sa_handler = crpin_interrupt_handler;
  action.sa_flags = 0;
  for (int i = 0; i < crpin_interrupt_signal_count; i++) {
    if (!crpin_was_ignored(&crpin_state()->interrupt_actions[i])) {
      sigaction(crpin_interrupt_signals[i], &action, NULL);
    }
  }
  action.sa_handler = crpin_stop_handler;
  for (int i = 0; i < crpin_stop_signal_count; i++) {
    if (!crpin_was_ignored(&crpin_state()->stop_actions[i])) {
      sigaction(crpin_stop_signals[i], &action, NULL);
    }
  }
  /* A parent may have left these blocked (a test runner's threads block most signals, and
     children inherit the mask): then Ctrl-C, SIGTERM or a hangup would never reach us. */
  sigset_t handled;
  sigemptyset(&handled);
  for (int i = 0; i < crpin_crash_signal_count; i++) {
    sigaddset(&handled, crpin_crash_signals[i]);
  }
  for (int i = 0; i < crpin_interrupt_signal_count; i++) {
    sigaddset(&handled, crpin_interrupt_signals[i]);
  }
  for (int i = 0; i < crpin_stop_signal_count; i++) {
    sigaddset(&handled, crpin_stop_signals[i]);
  }
  sigaddset(&handled, SIGTSTP);
  sigaddset(&handled, SIGCONT);
  sigaddset(&handled, SIGWINCH);
  sigprocmask(SIG_UNBLOCK, &handled, NULL);
}

/// Whether the terminal on standard input has gone (hung up, closed): then reads fail at once
/// and a waiting loop would spin. Records it as a SIGHUP so the app quits like on a hangup.
static inline int crpin_check_hangup(void) {
  struct pollfd descriptor;
  descriptor.fd = STDIN_FILENO;
  descriptor.events = POLLIN;
  descriptor.revents = 0;
  if (poll(&descriptor, 1, 0) >= 0 && (descriptor.revents & (POLLHUP | POLLERR | POLLNVAL)) == 0) {
    return 0;
  }
  if (crpin_interrupt_signal == 0) {
    crpin_interrupt_signal = SIGHUP;
  }
  return 1;
}

/// Puts back the dispositions saved by crpin_save_original_state. Call after endwin.
static inline void crpin_restore_original_handlers(void) {
  if (!crpin_state()->have_actions) {
    return;
  }
  for (int i = 0; i < crpin_crash_signal_count; i++) {
    sigaction(crpin_crash_signals[i], &crpin_state()->crash_actions[i], NULL);
  }
  for (int i = 0; i < crpin_interrupt_signal_count; i++) {
    sigaction(crpin_interrupt_signals[i], &crpin_state()->interrupt_actions[i], NULL);
  }
  for (int i = 0; i < crpin_stop_signal_count; i++) {
    sigaction(crpin_stop_signals[i], &crpin_state()->stop_actions[i], NULL);
  }
  sigaction(SIGTSTP, &crpin_state()->tstp_action, NULL);
}

/// The first terminating signal other than SIGINT received since start-up, or 0.
static inline int crpin_pending_interrupt(void) { return crpin_interrupt_signal; }

/// Whether a SIGINT arrived that is not yet taken.
static inline int crpin_keyboard_interrupt_pending(void) { return crpin_keyboard_interrupts != 0; }

/// How many SIGINTs arrived since the last call; SIGINT is blocked while the count is taken,
/// so none is lost.
static inline int crpin_take_keyboard_interrupts(void) {
  sigset_t block, previous;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  pthread_sigmask(SIG_BLOCK, &block, &previous);
  int count = crpin_keyboard_interrupts;
  crpin_keyboard_interrupts = 0;
  pthread_sigmask(SIG_SETMASK, &previous, NULL);
  return count;
}

#endif
