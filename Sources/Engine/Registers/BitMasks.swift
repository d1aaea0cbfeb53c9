/// CR0 bit masks (Intel SDM Vol. 3A §2.5).
public enum CR0 {
  public static let pe: UInt64 = 1 << 0
  public static let mp: UInt64 = 1 << 1
  public static let em: UInt64 = 1 << 2
  public static let ts: UInt64 = 1 << 3
  public static let et: UInt64 = 1 << 4
  public static let ne: UInt64 = 1 << 5
  public static let wp: UInt64 = 1 << 16
  public static let am: UInt64 = 1 << 18
  public static let nw: UInt64 = 1 << 29
  public static let cd: UInt64 = 1 << 30
  public static let pg: UInt64 = 1 << 31
  /// Every bit KVM 5.8 keeps (PE MP EM TS ET NE WP AM NW CD PG); the other low 32 bits are
  /// dropped silently on a write. A literal, so reading it on the hot path costs nothing.
  public static let defined: UInt64 = 0xe005_003f
}

/// CR4 bit masks.
public enum CR4 {
  public static let vme: UInt64 = 1 << 0
  public static let pvi: UInt64 = 1 << 1
  public static let tsd: UInt64 = 1 << 2
  public static let de: UInt64 = 1 << 3
  public static let pse: UInt64 = 1 << 4
  public static let pae: UInt64 = 1 << 5
  public static let mce: UInt64 = 1 << 6
  public static let pge: UInt64 = 1 << 7
  public static let pce: UInt64 = 1 << 8
  public static let osfxsr: UInt64 = 1 << 9
  public static let osxmmexcpt: UInt64 = 1 << 10
  public static let umip: UInt64 = 1 << 11
  public static let la57: UInt64 = 1 << 12
  public static let vmxe: UInt64 = 1 << 13
  public static let smxe: UInt64 = 1 << 14
  public static let fsgsbase: UInt64 = 1 << 16
  public static let pcide: UInt64 = 1 << 17
  public static let osxsave: UInt64 = 1 << 18
  public static let kl: UInt64 = 1 << 19
  public static let smep: UInt64 = 1 << 20
  public static let smap: UInt64 = 1 << 21
  public static let pke: UInt64 = 1 << 22
  public static let cet: UInt64 = 1 << 23
  public static let pks: UInt64 = 1 << 24
  public static let uintr: UInt64 = 1 << 25
  public static let lass: UInt64 = 1 << 27
  /// LAM for supervisor pointers: a bit KVM knows from 6.8 (docs/versions.md).
  public static let lamSup: UInt64 = 1 << 28
  public static let fred: UInt64 = 1 << 32
  /// Every bit KVM 5.8 knows (`CR4_RESERVED_BITS` is the complement): bits 0-13, FSGSBASE,
  /// PCIDE, OSXSAVE, SMEP, SMAP, PKE. A literal, so reading it on the hot path costs nothing.
  public static let knownToKVM: UInt64 = 0x77_3fff
}

/// EFER bit masks (MSR 0xC0000080).
public enum EFERBits {
  public static let sce: UInt64 = 1 << 0
  public static let lme: UInt64 = 1 << 8
  public static let lma: UInt64 = 1 << 10
  public static let nxe: UInt64 = 1 << 11
  /// The bits a guest may set with this CPU model; the rest are reserved.
  /// SCE, LME, LMA, NXE.
  public static let defined: UInt64 = 0xd01
}

/// CR3 masks.
public enum CR3 {
  /// The PCID field, CR3[11:0], when CR4.PCIDE is set.
  public static let pcid: UInt64 = 0xfff
  /// Bit 63: "don't flush this PCID" on a MOV to CR3 with PCIDE; never stored.
  public static let noFlush: UInt64 = 1 << 63
}
