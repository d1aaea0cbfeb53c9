/// The script language in brief: `crpin help language` prints it, the TUI's `:help` shows it
/// and its hint line quotes the entry of the statement being typed.
///
/// Every line fits 80 columns with the indent help adds; a prose paragraph is one line (the
/// help and the TUI wrap it), and a statement whose syntax and meaning do not fit on one line
/// has its meaning on a continuation line, indented to the meaning column.
public enum LanguageHelp {
  /// The whole text: what a line is, every statement (from the statement table,
  /// `StatementKind`), then expressions, MSR names and the exit status.
  public static let text =
    "One statement a line; `#` starts a comment, `#>` a narration line (printed in text traces); "
    + "keywords are case-insensitive.\n" + StatementKind.helpText + "\n" + paragraphs

  /// The paragraphs after the statements.
  private static let paragraphs = """
    EXPR: numbers (0x1f, 31, 0b101), bit names (SMEP, cr4.SMEP), cr0 cr3 cr4 efer (current \
    values), pins.cr4_high, smram.cr4, with | ^ & << >> ~ and parentheses: cr4 & ~SMEP.
    MSR: a number, or a name with or without MSR_KVM_ (CR4_PINNED_HIGH, EFER), resolved when \
    the statement runs: under kvm-rfc2 CR0/CR4_PIN_ALLOWED are 0x4b564d06/07, CR0/CR4_PINNED \
    08/09.
    Exit status: 0 all expectations held, 1 an expectation failed, 2 usage, parse or input \
    error (no such file, a directory, invalid UTF-8, over 16 MiB), 3 standard output could not \
    be written.
    """
}
