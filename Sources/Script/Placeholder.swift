/// Placeholder; replaced by the script language.
enum ScriptPlaceholder {}
