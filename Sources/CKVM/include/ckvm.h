// ckvm: one small VM on /dev/kvm with a CPL-0 guest stub, for crpin's real-KVM backend.
//
// The VMM side (this file's functions) writes each statement as a few real guest instructions
// into guest memory and runs the vCPU until the stub reports back through an `out`:
//   port 0x10 (CKVM_PORT_DONE)  the instruction retired;
//   port 0x11 (CKVM_PORT_FAULT) a fault handler ran, AL = the vector (the register kept its value).
// Guest memory (identity-mapped with 2 MiB pages, first GiB):
//   0x0000 real-mode IVT · 0x1000 PML4 · 0x2000 PDPT · 0x3000 PD · 0x4000 GDT · 0x5000 64-bit
//   IDT · 0x5400 32-bit IDT · 0x5800 IDTR images · 0x6000 fault handlers · 0x8000 the statement ·
//   stack below 0x7ff0. Two more one-page slots hold copies of the PML4 at the CR3 values of
//   crpin's boot path (0x2a0a000, 0xb41c000), so those CR3 writes keep the stub mapped.
#ifndef CKVM_H
#define CKVM_H

#include <stddef.h>
#include <stdint.h>

#define CKVM_PORT_DONE 0x10
#define CKVM_PORT_FAULT 0x11

/// Why a VM could not be made.
typedef enum {
  CKVM_OPEN_OK = 0,
  CKVM_OPEN_NO_DEVICE = 1,   // /dev/kvm does not exist
  CKVM_OPEN_PERMISSION = 2,  // it exists but cannot be opened read-write
  CKVM_OPEN_TOO_OLD = 3,     // API version is not 12, or a needed capability is missing
  CKVM_OPEN_FAILED = 4,      // an ioctl or mmap failed (the message says which)
} ckvm_open_status;

/// How one guest statement ended.
typedef enum {
  CKVM_RUN_OK = 0,        // the instruction retired
  CKVM_RUN_FAULT = 1,     // an exception; `vector` holds it
  CKVM_RUN_SHUTDOWN = 2,  // triple fault (KVM_EXIT_SHUTDOWN): the vCPU is stopped
  CKVM_RUN_INTERNAL = 3,  // KVM_EXIT_INTERNAL_ERROR or another exit: the vCPU is stopped
  CKVM_RUN_ERROR = 4,     // an ioctl failed (the message says which)
  CKVM_RUN_UNENCODABLE = 5,  // the value does not fit the current code size (bits 63:32 outside 64-bit code)
} ckvm_run_status;

/// The registers crpin compares, read with KVM_GET_SREGS and KVM_GET_REGS.
typedef struct {
  uint64_t cr0, cr3, cr4, efer;
  uint64_t rax, rdx, rip;
  uint8_t cs_l, cs_db;   // the code segment's L and D bits (64-bit / 32-bit code)
} ckvm_state;

/// One CPUID leaf as KVM reports it.
typedef struct {
  uint32_t function, index, eax, ebx, ecx, edx;
} ckvm_cpuid_leaf;

typedef struct ckvm_vm ckvm_vm;

/// Opens /dev/kvm (or the device CRPIN_KVM_DEVICE names, for tests), creates the VM, its memory, one vCPU with KVM's supported CPUID, and puts
/// it in 64-bit long mode (CR0 0x80050033, CR4 PAE, EFER LME|LMA). On failure *out is NULL and
/// `message` holds one line naming the cause.
ckvm_open_status ckvm_open(ckvm_vm **out, char *message, size_t message_size);
void ckvm_close(ckvm_vm *vm);

/// KVM_GET_API_VERSION.
int ckvm_api_version(const ckvm_vm *vm);
/// KVM_CHECK_EXTENSION on the VM (0 when absent).
int ckvm_check_extension(const ckvm_vm *vm, int capability);
/// The leaves of KVM_GET_SUPPORTED_CPUID as given to the guest with KVM_SET_CPUID2; returns the
/// count copied (at most `max`).
int ckvm_guest_cpuid(const ckvm_vm *vm, ckvm_cpuid_leaf *leaves, int max);
/// The last ioctl error, one line.
const char *ckvm_message(const ckvm_vm *vm);

/// Sets the vCPU's registers the way a VMM does (KVM_SET_SREGS): `mode` 0 = real mode at reset
/// (CR0 0x60000010), 1 = 64-bit long mode with the stub's page tables.
int ckvm_enter_mode(ckvm_vm *vm, int mode);
/// KVM_GET_SREGS + KVM_GET_REGS.
int ckvm_get_state(ckvm_vm *vm, ckvm_state *state);

/// Guest MOV to CR0/CR3/CR4 (cr = 0, 3, 4), executed by the stub at CPL 0.
ckvm_run_status ckvm_mov_cr(ckvm_vm *vm, int cr, uint64_t value, int *vector);
/// Guest WRMSR.
ckvm_run_status ckvm_wrmsr(ckvm_vm *vm, uint32_t msr, uint64_t value, int *vector);
/// Guest RDMSR; *value = EDX:EAX when it retired.
ckvm_run_status ckvm_rdmsr(ckvm_vm *vm, uint32_t msr, uint64_t *value, int *vector);
/// When the code segment does not fit the current mode (EFER.LMA without 64-bit code, CR0.PE
/// with 16-bit code), a far jump to the one that does, as Linux's boot code does right after
/// switching modes; otherwise nothing runs. CKVM_RUN_OK either way when it worked.
ckvm_run_status ckvm_settle_mode(ckvm_vm *vm, int *vector);

/// KVM_SET_MSRS of one MSR: 1 when KVM took it, 0 when it refused it, -1 on an ioctl error.
int ckvm_host_set_msr(ckvm_vm *vm, uint32_t msr, uint64_t value);
/// KVM_GET_MSRS of one MSR: 1 and *value, 0 when KVM refused it, -1 on an ioctl error.
int ckvm_host_get_msr(ckvm_vm *vm, uint32_t msr, uint64_t *value);
/// KVM_GET_SREGS, then KVM_SET_SREGS with the fields whose bit is set in `which`
/// (1 CR0, 2 CR3, 4 CR4, 8 EFER). 0 when KVM took them, otherwise -errno.
int ckvm_host_set_sregs(ckvm_vm *vm, unsigned which, uint64_t cr0, uint64_t cr3, uint64_t cr4,
                        uint64_t efer);

#endif
