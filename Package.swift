// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "crpin",
  products: [
    .executable(name: "crpin", targets: ["crpin"]),
    .library(name: "Engine", targets: ["Engine"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2")
  ],
  targets: [
    // Pure model of KVM's CR0/CR4 handling with the paravirtual pinning patch.
    .target(name: "Engine"),
    // SplitMix64, the seeded generator the benchmark and the tests share.
    .target(name: "SeededRandom"),
    // The script language: parser, runner and trace formats (pure, no I/O).
    .target(name: "Script", dependencies: ["Engine"]),
    // The TUI's state, update and view into an in-memory cell grid (pure, no curses).
    .target(name: "TUI", dependencies: ["Engine", "Script"]),
    // ncursesw, through a module map and a small shim header.
    .systemLibrary(
      name: "CNCurses",
      providers: [.apt(["libncurses-dev"])]
    ),
    // The only code that talks to curses: copies the grid to the terminal, reads keys.
    .target(name: "CursesBackend", dependencies: ["CNCurses", "TUI"]),
    // One small VM on /dev/kvm and its CPL-0 guest stub (issue 15): ioctls and hand-encoded
    // guest instructions, in C.
    .target(name: "CKVM"),
    // The real-KVM backend: the host's identity, statements run as real guest instructions, and
    // their comparison with the model (`crpin run --kvm`, `crpin verify`).
    .target(name: "RealKVM", dependencies: ["CKVM", "Engine", "Script", "SeededRandom"]),
    // The commit crpin was built from, as scripts/stamp-commit left it (`crpin --version`).
    .target(name: "CBuildInfo"),
    // The command line: wires the pieces together.
    .executableTarget(
      name: "crpin",
      dependencies: [
        "Engine", "Script", "TUI", "CursesBackend", "RealKVM", "CBuildInfo",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // libFuzzer's driver, declared (Fuzz/CLibFuzzer/driver.h); linked only by the fuzz build.
    .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
    // The fuzz target over the parser, the engine, dumps, compare, the exports and the TUI's
    // `:` prompt (scripts/reliability builds it with -sanitize=fuzzer); in the ordinary build, a
    // replayer of the corpus for the tests.
    .executableTarget(
      name: "crpin-fuzz", dependencies: ["Engine", "Script", "TUI", "CLibFuzzer"], path: "Fuzz/crpin-fuzz"),
    // Measures the engine, the script runner, the view and the terminal output (issue 5).
    // Its functions start on 64-byte boundaries, as the C reference's loop does, so that
    // `engine_vs_c` compares two loops placed alike (docs/performance.md, the twelfth session).
    .executableTarget(
      name: "crpin-bench", dependencies: ["Engine", "Script", "TUI", "SeededRandom", "CReferenceModel"],
      swiftSettings: [.unsafeFlags(["-Xllvm", "-align-all-functions=6"])]),
    // A tight C model of one guest MOV to CR4, the bench's yardstick for the engine (issue 14).
    .target(name: "CReferenceModel"),
    .testTarget(
      name: "EngineTests",
      dependencies: ["Engine", "SeededRandom"]
    ),
    .testTarget(name: "BackendTests", dependencies: ["CursesBackend"]),
    .testTarget(name: "ScriptTests", dependencies: ["Script", "Engine", "SeededRandom"]),
    .testTarget(name: "TUITests", dependencies: ["TUI", "Engine", "Script"]),
    .testTarget(name: "EndToEndTests", dependencies: ["SeededRandom"]),
    // The real-KVM backend on this machine's /dev/kvm (issue 15).
    .testTarget(name: "RealKVMTests", dependencies: ["RealKVM", "Engine", "Script"]),
    // Internals of the command line (the --record file), through @testable import.
    .testTarget(name: "CommandLineTests", dependencies: ["crpin"]),
  ],
  swiftLanguageModes: [.v6]
)
