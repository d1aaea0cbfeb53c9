import Engine
import Foundation
import Script
import Testing

/// `crpin explain --from`: real-format register dumps (a Linux x86-64 SMEP oops, QEMU's monitor
/// `info registers`, gdb's `info registers` on QEMU's stub) found and decoded; goldens of the
/// JSON for all three and of the text for gdb's.
@Suite("explain --from")
struct ExplainFromTests {
  static let oops = """
    [   12.345678] unable to execute userspace code (SMEP?) (uid: 1000)
    [   12.345901] BUG: unable to handle page fault for address: 0000000000401000
    [   12.346012] #PF: supervisor instruction fetch in kernel mode
    [   12.346101] #PF: error_code(0x0011) - permissions violation
    [   12.346188] PGD 800000000b41f067 P4D 800000000b41f067 PUD b420067 PMD b421067 PTE 25a1067
    [   12.346312] Oops: 0011 [#1] SMP NOPTI
    [   12.346399] CPU: 0 PID: 123 Comm: exploit Not tainted 5.8.0 #1
    [   12.346488] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.13.0-1ubuntu1 04/01/2014
    [   12.346601] RIP: 0010:0x401000
    [   12.346672] Code: Bad RIP value.
    [   12.346731] RSP: 0018:ffffc90000003e38 EFLAGS: 00010046
    [   12.346812] RAX: 0000000000000000 RBX: ffff88800b4a0000 RCX: 0000000000000000
    [   12.346902] RDX: 0000000000000000 RSI: 0000000000000000 RDI: 00000000001006f0
    [   12.346991] RBP: ffffc90000003e50 R08: 0000000000000000 R09: 0000000000000000
    [   12.347080] R10: 0000000000000000 R11: 0000000000000000 R12: 0000000000000000
    [   12.347169] R13: 0000000000000000 R14: 0000000000000000 R15: 0000000000000000
    [   12.347258] FS:  00000000004c9380(0000) GS:ffff88800f800000(0000) knlGS:0000000000000000
    [   12.347361] CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033
    [   12.347443] CR2: 0000000000401000 CR3: 000000000b41c000 CR4: 00000000001006f0
    [   12.347531] Call Trace:
    """

  static let qemu = """
    RAX=0000000000000000 RBX=ffffffff82613780 RCX=0000000000000001 RDX=0000000000000001
    RSI=0000000000000087 RDI=0000000000000087 RBP=ffffffff82603e28 RSP=ffffffff82603e08
    R8 =ffff88800f81ce20 R9 =0000000000000000 R10=0000000000000000 R11=0000000000000000
    R12=0000000000000000 R13=0000000000000000 R14=0000000000000000 R15=0000000000000000
    RIP=ffffffff81a6c1de RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1
    ES =0000 0000000000000000 00000000 00000000
    CS =0010 0000000000000000 ffffffff 00a09b00 DPL=0 CS64 [-RA]
    SS =0018 0000000000000000 ffffffff 00c09300 DPL=0 DS   [-WA]
    DS =0000 0000000000000000 00000000 00000000
    FS =0000 0000000000000000 00000000 00000000
    GS =0000 ffff88800f800000 00000000 00000000
    LDT=0000 0000000000000000 00000000 00008200 DPL=0 LDT
    TR =0040 fffffe0000003000 0000206f 00008900 DPL=0 TSS64-avl
    GDT=     fffffe0000001000 0000007f
    IDT=     fffffe0000000000 00000fff
    CR0=80050033 CR2=00007f5e4c3b1000 CR3=000000000b41c000 CR4=00360ef0
    DR0=0000000000000000 DR1=0000000000000000 DR2=0000000000000000 DR3=0000000000000000
    DR6=00000000ffff0ff0 DR7=0000000000000400
    EFER=0000000000000d01
    FCW=037f FSW=0000 [ST=0] FTW=00 MXCSR=00001f80
    """

  static let gdb = """
    rax            0x0                 0
    rbx            0xffffffff82613780  -2107689088
    rip            0xffffffff81a6c1de  0xffffffff81a6c1de <default_idle+14>
    eflags         0x246               [ IF ZF PF ]
    cs             0x10                16
    ss             0x18                24
    fs_base        0x0                 0
    gs_base        0xffff88800f800000  -131391335940096
    k_gs_base      0x0                 0
    cr0            0x80050033          [ PG AM WP NE ET MP PE ]
    cr2            0x7f5e4c3b1000      140042399289344
    cr3            0xb41c000           [ PDBR=46108 PCID=0 ]
    cr4            0x360ef0            [ SMAP SMEP OSXSAVE PCIDE UMIP OSXMMEXCPT OSFXSR PGE MCE PAE PSE ]
    cr8            0x0                 0
    efer           0xd01               [ NXE LMA LME SCE ]
    """

  @Test("the oops: CR0, CR2, CR3, CR4 and EFLAGS found on their lines; no EFER in an oops")
  func oopsFound() {
    let dump = RegisterDump(scanning: Self.oops)
    #expect(dump.registers.map(\.register) == [.cr0, .cr2, .cr3, .cr4, .eflags])
    #expect(dump.registers.map(\.value) == [0x8005_0033, 0x401000, 0xb41c000, 0x1006f0, 0x10046])
    #expect(dump.registers.map(\.line) == [18, 19, 19, 19, 11])
  }

  @Test("QEMU: RFL is EFLAGS; CR0-CR4 on one line, EFER on another; segment lines ignored")
  func qemuFound() {
    let dump = RegisterDump(scanning: Self.qemu)
    #expect(dump.registers.map(\.register) == [.cr0, .cr2, .cr3, .cr4, .efer, .eflags])
    #expect(dump.findings.count == 6)
  }

  @Test("gdb: lower-case names with 0x values; cr8, fs_base, k_gs_base ignored")
  func gdbFound() {
    let dump = RegisterDump(scanning: Self.gdb)
    #expect(dump.registers.map(\.register) == [.cr0, .cr2, .cr3, .cr4, .efer, .eflags])
    #expect(dump.findings.count == 6)
  }

  @Test("JSON goldens, stable key order, only the registers found")
  func jsonGoldens() {
    let goldens: [(String, String)] = [
      (
        Self.oops,
        "{\"cr0\":{\"value\":\"0x80050033\",\"set\":[\"PE\",\"MP\",\"ET\",\"NE\",\"WP\",\"AM\",\"PG\"],\"reserved\":[],\"line\":18},\"cr2\":{\"value\":\"0x401000\",\"set\":[],\"reserved\":[],\"line\":19},\"cr3\":{\"value\":\"0xb41c000\",\"set\":[],\"reserved\":[],\"address\":\"0xb41c000\",\"pcid\":null,\"pcide\":false,\"line\":19},\"cr4\":{\"value\":\"0x1006f0\",\"set\":[\"PSE\",\"PAE\",\"MCE\",\"PGE\",\"OSFXSR\",\"OSXMMEXCPT\",\"SMEP\"],\"reserved\":[],\"line\":19},\"eflags\":{\"value\":\"0x10046\",\"set\":[\"PF\",\"ZF\",\"RF\"],\"reserved\":[],\"line\":11}}"
      ),
      (
        Self.qemu,
        "{\"cr0\":{\"value\":\"0x80050033\",\"set\":[\"PE\",\"MP\",\"ET\",\"NE\",\"WP\",\"AM\",\"PG\"],\"reserved\":[],\"line\":16},\"cr2\":{\"value\":\"0x7f5e4c3b1000\",\"set\":[],\"reserved\":[],\"line\":16},\"cr3\":{\"value\":\"0xb41c000\",\"set\":[\"PCID=0x0\"],\"reserved\":[],\"address\":\"0xb41c000\",\"pcid\":\"0x0\",\"pcide\":true,\"line\":16},\"cr4\":{\"value\":\"0x360ef0\",\"set\":[\"PSE\",\"PAE\",\"MCE\",\"PGE\",\"OSFXSR\",\"OSXMMEXCPT\",\"UMIP\",\"PCIDE\",\"OSXSAVE\",\"SMEP\",\"SMAP\"],\"reserved\":[],\"line\":16},\"efer\":{\"value\":\"0xd01\",\"set\":[\"SCE\",\"LME\",\"LMA\",\"NXE\"],\"reserved\":[],\"line\":19},\"eflags\":{\"value\":\"0x246\",\"set\":[\"PF\",\"ZF\",\"IF\"],\"reserved\":[],\"line\":5}}"
      ),
      (
        Self.gdb,
        "{\"cr0\":{\"value\":\"0x80050033\",\"set\":[\"PE\",\"MP\",\"ET\",\"NE\",\"WP\",\"AM\",\"PG\"],\"reserved\":[],\"line\":10},\"cr2\":{\"value\":\"0x7f5e4c3b1000\",\"set\":[],\"reserved\":[],\"line\":11},\"cr3\":{\"value\":\"0xb41c000\",\"set\":[\"PCID=0x0\"],\"reserved\":[],\"address\":\"0xb41c000\",\"pcid\":\"0x0\",\"pcide\":true,\"line\":12},\"cr4\":{\"value\":\"0x360ef0\",\"set\":[\"PSE\",\"PAE\",\"MCE\",\"PGE\",\"OSFXSR\",\"OSXMMEXCPT\",\"UMIP\",\"PCIDE\",\"OSXSAVE\",\"SMEP\",\"SMAP\"],\"reserved\":[],\"line\":13},\"efer\":{\"value\":\"0xd01\",\"set\":[\"SCE\",\"LME\",\"LMA\",\"NXE\"],\"reserved\":[],\"line\":15},\"eflags\":{\"value\":\"0x246\",\"set\":[\"PF\",\"ZF\",\"IF\"],\"reserved\":[],\"line\":4}}"
      ),
    ]
    for (text, golden) in goldens {
      let dump = RegisterDump(scanning: text)
      #expect(Explain.json(Explain.explained(dump).map { ($0.register, $0.finding.line) }) == golden)
    }
  }

  @Test("text golden of gdb's dump")
  func textGolden() {
    #expect(Explain.dumpText(RegisterDump(scanning: Self.gdb)) == Self.gdbText)
  }

  @Test("CR3's PCID is read only when the same dump shows CR4.PCIDE")
  func pcideContext() {
    let alone = RegisterDump(scanning: "CR3: 000000000b41d801")
    let cr3 = Explain.explained(alone).first?.register
    #expect(cr3?.text.contains("CR3 alone cannot say which") == true)
    #expect(cr3?.set == ["KPTI_USER_PGD"])
    let withCR4 = Explain.explained(RegisterDump(scanning: "CR3: 000000000b41d801 CR4: 0000000000360ef0"))
    #expect(withCR4.first?.register.set == ["PCID=0x801", "KPTI_USER_PGD", "KPTI_USER_PCID"])
  }

  @Test("EFLAGS: AC (bit 18) is explained for SMAP; IOPL is a field")
  func eflags() {
    let explained = Explain.explained(.eflags, value: 0x43246)
    #expect(explained.set == ["PF", "ZF", "IF", "IOPL=3", "AC"])
    #expect(explained.text.contains("AC (bit 18, 0x40000) is set: SMAP does not stop"))
    #expect(Explain.explained(.eflags, value: 0x8).reserved == ["bit 3 (0x8)"])
  }

  @Test("names inside identifiers, values too long and prose without values are not registers")
  func notRegisters() {
    let text = """
      X86_CR4_SMEP is bit 20; CR4 is pinned; cr4_pinned_bits 0x100000
      CR4: 00000000000000000001006f0 (17 digits) CR0=zz EFLAGS:
      """
    #expect(RegisterDump(scanning: text).findings.isEmpty)
  }

  @Test("a register seen twice: the first is decoded, a different later value is listed")
  func duplicates() {
    let dump = RegisterDump(scanning: "CR4: 00000000001006f0\nCR4: 0000000000360ef0\nCR4: 00000000001006f0")
    #expect(dump.registers.map(\.value) == [0x1006f0])
    #expect(dump.otherValues(of: .cr4).map(\.line) == [2])
    #expect(Explain.dumpText(dump).contains("also found (not decoded): 0x360ef0 on line 2"))
  }

  @Test("explain cr0/cr4 shows version badges with their sources")
  func badges() {
    let text = Explain.register(.cr4, value: 0x360ef0)
    #expect(text.contains("pinned 5.3+: native_write_cr4() puts SMEP back and warns — source: "))
    #expect(text.contains("Linux 3.7+"))
    #expect(Explain.register(.cr0, value: 0x8005_0033).contains("i486+"))
  }

  static let gdbText = """
    found CR0, CR2, CR3, CR4, EFER, EFLAGS (6 of CR0, CR2, CR3, CR4, EFER, EFLAGS)

    CR0 from line 10: cr0            0x80050033          [ PG AM WP NE ET MP PE ]
    CR0 = 0x80050033  (0x0000000080050033)
      bit 0  0x1                PE         Protection Enable: Protected mode on.
      bit 1  0x2                MP         Monitor Coprocessor: WAIT/FWAIT honour TS.
      bit 4  0x10               ET         Extension Type: Hard-wired to 1; KVM forces it on.
      bit 5  0x20               NE         Numeric Error: Native x87 error reporting.
      bit 16 0x10000            WP         Write Protect: Supervisor writes honour read-only pages (copy-on-write, kernel text and rodata).
                                           [pinnable: the guest pins it high at boot]
                                           i486+: WP exists since the i486; Linux has always set it on x86-64 — source: Intel SDM Vol. 3A §2.5
                                           pinned 5.3+: native_write_cr0() puts WP back and warns — source: Linux commits of 2019 (CR4 SMEP/SMAP/UMIP and CR0.WP pinning, merged for 5.3), as collected in crpin's teaching reference
      bit 18 0x40000            AM         Alignment Mask: Alignment checking with EFLAGS.AC at CPL 3.
      bit 31 0x80000000         PG         Paging: Paging on (with EFER.LME: long mode).

    CR2 from line 11: cr2            0x7f5e4c3b1000      140042399289344
    CR2 = 0x7f5e4c3b1000  (0x00007f5e4c3b1000)
      the linear address of the last page fault (#PF): a user-space address (lower canonical half): a kernel fault on it is what SMEP (instruction fetch, CR4 bit 20, 0x100000) and SMAP (data access, CR4 bit 21, 0x200000) cause

    CR3 from line 12: cr3            0xb41c000           [ PDBR=46108 PCID=0 ]
    CR3 = 0xb41c000  (0x000000000b41c000)
      bits 62:12  page-table base (the PML4/PGD's physical address): 0xb41c000
      bits 11:0   PCID 0x0: CR4.PCIDE (bit 17, 0x20000) is set in CR4 0x360ef0
      bit 12      0x1000: clear — under Linux KPTI (page-table isolation) the PGD is a pair of 4 KiB pages and bit 12 selects the kernel half (PTI_USER_PGTABLE_BIT); without KPTI it is just an address bit
      bit 11      0x800: clear — with PCIDE, KPTI gives the user half its own PCID (the kernel's | 0x800, X86_CR3_PTI_PCID_USER_BIT): this is not a user PCID

    CR4 from line 13: cr4            0x360ef0            [ SMAP SMEP OSXSAVE PCIDE UMIP OSXMMEXCPT OSFXSR PGE MCE PAE PSE ]
    CR4 = 0x360ef0  (0x0000000000360ef0)
      bit 4  0x10               PSE        Page Size Extensions: 4 MiB pages in 32-bit paging.
      bit 5  0x20               PAE        Physical Address Extension: PAE paging; required for long mode.
      bit 6  0x40               MCE        Machine-Check Enable: Machine-check exceptions on.
      bit 7  0x80               PGE        Page Global Enable: Global pages survive CR3 writes.
      bit 9  0x200              OSFXSR     OS FXSAVE/FXRSTOR Support: SSE state saved with FXSAVE.
      bit 10 0x400              OSXMMEXCPT OS Unmasked SIMD FP Exceptions: SIMD floating-point exceptions delivered as #XM.
      bit 11 0x800              UMIP       User-Mode Instruction Prevention: SGDT, SIDT, SLDT, SMSW and STR fault at CPL > 0.
                                           [needs CPUID UMIP (else reserved: #GP); pinnable: the guest pins it high at boot]
                                           Linux 4.15+: Linux enables UMIP on CPUs that have it — source: Linux 4.15 (January 2018), x86 UMIP support
                                           pinned 5.3+: native_write_cr4() puts UMIP back and warns — source: Linux commits of 2019 (CR4 SMEP/SMAP/UMIP and CR0.WP pinning, merged for 5.3), as collected in crpin's teaching reference
      bit 17 0x20000            PCIDE      Process-Context Identifiers: CR3[11:0] tags TLB entries with a PCID.
                                           [needs CPUID PCID (checked by its own rule)]
      bit 18 0x40000            OSXSAVE    XSAVE and Extended States: XSAVE/XRSTOR and XGETBV/XSETBV on.
                                           [needs CPUID XSAVE (else reserved: #GP)]
      bit 20 0x100000           SMEP       Supervisor Mode Execution Prevention: The kernel may not execute code in user pages.
                                           [needs CPUID SMEP (else reserved: #GP); pinnable: the guest pins it high at boot]
                                           Linux 3.0+: Linux enables SMEP on CPUs that have it (Ivy Bridge, 2012) — source: Linux 3.0 (2011), "x86, cpu: Enable/disable SMEP"
                                           pinned 5.3+: native_write_cr4() puts SMEP back and warns — source: Linux commits of 2019 (CR4 SMEP/SMAP/UMIP and CR0.WP pinning, merged for 5.3), as collected in crpin's teaching reference
      bit 21 0x200000           SMAP       Supervisor Mode Access Prevention: The kernel may not read or write user pages unless EFLAGS.AC is set.
                                           [needs CPUID SMAP (else reserved: #GP); pinnable: the guest pins it high at boot]
                                           Linux 3.7+: Linux enables SMAP on CPUs that have it (Broadwell, 2014) — source: Linux 3.7 (December 2012), x86 SMAP support
                                           pinned 5.3+: native_write_cr4() puts SMAP back and warns — source: Linux commits of 2019 (CR4 SMEP/SMAP/UMIP and CR0.WP pinning, merged for 5.3), as collected in crpin's teaching reference

    EFER from line 15: efer           0xd01               [ NXE LMA LME SCE ]
    EFER = 0xd01  (0x0000000000000d01)
      bit 0     0x1         SCE      System Call Extensions: SYSCALL/SYSRET enabled.
      bit 8     0x100       LME      Long Mode Enable: Long mode once paging is on.
      bit 10    0x400       LMA      Long Mode Active: Set by the CPU: long mode is active (LME and CR0.PG).
      bit 11    0x800       NXE      No-Execute Enable: The NX bit of page-table entries is honoured.

    EFLAGS from line 4: eflags         0x246               [ IF ZF PF ]
    EFLAGS = 0x246  (0x0000000000000246)
      bit 2     0x4         PF       Parity Flag: The low byte of the last result has an even number of 1 bits.
      bit 6     0x40        ZF       Zero Flag: The last result was zero.
      bit 9     0x200       IF       Interrupt Enable Flag: Maskable interrupts are delivered.
      AC (bit 18, 0x40000) is clear: with CR4.SMAP set, a supervisor access to a user page is a #PF
    """
}

/// `crpin explain --from` and the single-value forms through the built binary.
@Suite("explain --from, command line")
struct ExplainFromCLITests {
  @Test("a dump on standard input, as JSON; exit 0")
  func stdinJSON() throws {
    let result = try KitBinary.run(
      ["explain", "--from", "-", "--format", "json"], stdin: ExplainFromTests.qemu)
    #expect(result.status == 0)
    #expect(result.out.hasPrefix("{\"cr0\":{\"value\":\"0x80050033\""))
    #expect(result.out.contains("\"eflags\":{\"value\":\"0x246\",\"set\":[\"PF\",\"ZF\",\"IF\"]"))
  }

  @Test("nothing recognisable: a clear message and exit 1 (like grep); an unreadable file: exit 2")
  func nothingFound() throws {
    let result = try KitBinary.run(["explain", "--from", "-"], stdin: "kernel: hello\nCR4 is on\n")
    #expect(result.status == 1)
    #expect(result.out.isEmpty)
    #expect(result.err.hasPrefix("<stdin>: no CR0, CR2, CR3, CR4, EFER or EFLAGS value found"))
    #expect(try KitBinary.run(["explain", "--from", "/nonexistent/dump.txt"]).status == 2)
    #expect(try KitBinary.run(["explain", "cr4", "1", "--from", "-"]).status == 2)
  }

  @Test("explain eflags, cr3 --cr4, efer and the badges of explain cr4")
  func singleValues() throws {
    let eflags = try KitBinary.run(["explain", "eflags", "0x40246"])
    #expect(eflags.status == 0)
    #expect(eflags.out.contains("AC (bit 18, 0x40000) is set"))
    let cr3 = try KitBinary.run(["explain", "cr3", "0xb41d801", "--cr4", "cr4", "--format", "json"])
    #expect(
      cr3.out
        == "{\"cr3\":{\"value\":\"0xb41d801\",\"set\":[\"PCID=0x801\",\"KPTI_USER_PGD\",\"KPTI_USER_PCID\"],"
        + "\"reserved\":[],\"address\":\"0xb41d000\",\"pcid\":\"0x801\",\"pcide\":true}}\n")
    #expect(try KitBinary.run(["explain", "efer", "efer"]).out.contains("NXE"))
    #expect(try KitBinary.run(["explain", "cr4", "0x360ef0"]).out.contains("pinned 5.3+"))
  }
}
