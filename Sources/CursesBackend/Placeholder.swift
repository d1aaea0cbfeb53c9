/// Placeholder; the backend helper fills this target.
enum CursesBackendPlaceholder {}
