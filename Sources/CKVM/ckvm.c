// ckvm: see include/ckvm.h for the guest's memory map and the stub's protocol.
#include "ckvm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

enum {
  MEM_SIZE = 0x200000,
  PML4 = 0x1000, PDPT = 0x2000, PD = 0x3000, GDT = 0x4000,
  IDT64 = 0x5000, IDT32 = 0x5400, IDTR_IMAGES = 0x5800, HANDLERS = 0x6000,
  STACK_TOP = 0x7ff0, CODE = 0x8000, FAR_POINTER = 0x7ff8,
  SEL_CODE64 = 0x08, SEL_CODE32 = 0x10, SEL_DATA = 0x18,
  VECTORS = 32, MAX_CPUID = 100,
};

/// The CR3 values of crpin's boot path that get a copy of the PML4 (one page each).
static const uint64_t extra_roots[] = {0x2a0a000, 0xb41c000};

struct ckvm_vm {
  int kvm, vm, vcpu, api;
  struct kvm_run *run;
  size_t run_size;
  uint8_t *mem;
  uint8_t *root_pages;
  int ncpuid;
  ckvm_cpuid_leaf cpuid[MAX_CPUID];
  char message[200];
};

static int fail(ckvm_vm *vm, const char *what) {
  snprintf(vm->message, sizeof vm->message, "%s: %s", what, strerror(errno));
  return -1;
}

// --- guest memory -------------------------------------------------------------------------

static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }

static void build_memory(ckvm_vm *vm) {
  uint8_t *m = vm->mem;
  // Page tables: PML4[0] -> PDPT[0] -> PD, 512 present+writable 2 MiB pages: the first GiB.
  put64(m + PML4, PDPT | 0x3);
  put64(m + PDPT, PD | 0x3);
  for (uint64_t i = 0; i < 512; i++) put64(m + PD + i * 8, (i << 21) | 0x83);
  for (size_t r = 0; r < sizeof extra_roots / sizeof *extra_roots; r++)
    memcpy(vm->root_pages + r * 0x1000, m + PML4, 0x1000);
  // GDT: null, 64-bit code, 32-bit code, flat data.
  put64(m + GDT + SEL_CODE64, 0x00af9a000000ffffull);
  put64(m + GDT + SEL_CODE32, 0x00cf9a000000ffffull);
  put64(m + GDT + SEL_DATA, 0x00cf92000000ffffull);
  // Fault handler for vector v at HANDLERS + 8v: mov al, v; out 0x11, al; hlt (the same
  // bytes in 16-, 32- and 64-bit code).
  for (int v = 0; v < VECTORS; v++) {
    uint8_t *h = m + HANDLERS + v * 8;
    h[0] = 0xb0; h[1] = (uint8_t)v; h[2] = 0xe6; h[3] = CKVM_PORT_FAULT; h[4] = 0xf4;
    uint32_t handler = HANDLERS + v * 8;
    uint8_t *g64 = m + IDT64 + v * 16;  // 64-bit interrupt gate
    put16(g64, handler & 0xffff); put16(g64 + 2, SEL_CODE64); g64[5] = 0x8e;
    put16(g64 + 6, handler >> 16); put32(g64 + 8, 0);
    uint8_t *g32 = m + IDT32 + v * 8;  // 32-bit interrupt gate
    put16(g32, handler & 0xffff); put16(g32 + 2, SEL_CODE32); g32[5] = 0x8e;
    put16(g32 + 6, handler >> 16);
    put16(m + v * 4, handler & 0xffff); put16(m + v * 4 + 2, 0);  // real-mode IVT
  }
  // IDTR images for LIDT: real mode, 32-bit, 64-bit (limit, then a 64-bit base).
  put16(m + IDTR_IMAGES, 0x3ff); put64(m + IDTR_IMAGES + 2, 0);
  put16(m + IDTR_IMAGES + 16, VECTORS * 8 - 1); put64(m + IDTR_IMAGES + 18, IDT32);
  put16(m + IDTR_IMAGES + 32, VECTORS * 16 - 1); put64(m + IDTR_IMAGES + 34, IDT64);
}

// --- opening ------------------------------------------------------------------------------

static ckvm_open_status open_failed(ckvm_vm *vm, ckvm_open_status status, char *message,
                                    size_t size) {
  snprintf(message, size, "%s", vm->message);
  ckvm_close(vm);
  return status;
}

static int set_memory(ckvm_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *host) {
  struct kvm_userspace_memory_region region = {
      .slot = slot, .guest_phys_addr = gpa, .memory_size = size,
      .userspace_addr = (uint64_t)(uintptr_t)host};
  return ioctl(vm->vm, KVM_SET_USER_MEMORY_REGION, &region) < 0
             ? fail(vm, "KVM_SET_USER_MEMORY_REGION") : 0;
}

static int set_cpuid(ckvm_vm *vm) {
  size_t size = sizeof(struct kvm_cpuid2) + MAX_CPUID * sizeof(struct kvm_cpuid_entry2);
  struct kvm_cpuid2 *cpuid = calloc(1, size);
  if (!cpuid) return fail(vm, "calloc");
  cpuid->nent = MAX_CPUID;
  int result = -1;
  if (ioctl(vm->kvm, KVM_GET_SUPPORTED_CPUID, cpuid) < 0) {
    fail(vm, "KVM_GET_SUPPORTED_CPUID");
  } else if (ioctl(vm->vcpu, KVM_SET_CPUID2, cpuid) < 0) {
    fail(vm, "KVM_SET_CPUID2");
  } else {
    vm->ncpuid = (int)cpuid->nent;
    for (int i = 0; i < vm->ncpuid; i++) {
      struct kvm_cpuid_entry2 *e = &cpuid->entries[i];
      vm->cpuid[i] = (ckvm_cpuid_leaf){e->function, e->index, e->eax, e->ebx, e->ecx, e->edx};
    }
    result = 0;
  }
  free(cpuid);
  return result;
}

ckvm_open_status ckvm_open(ckvm_vm **out, char *message, size_t message_size) {
  *out = NULL;
  ckvm_vm *vm = calloc(1, sizeof *vm);
  if (!vm) { snprintf(message, message_size, "out of memory"); return CKVM_OPEN_FAILED; }
  vm->kvm = vm->vm = vm->vcpu = -1;
  const char *device = getenv("CRPIN_KVM_DEVICE");
  if (!device || !*device) device = "/dev/kvm";
  vm->kvm = open(device, O_RDWR | O_CLOEXEC);
  if (vm->kvm < 0) {
    int err = errno;
    fail(vm, device);
    return open_failed(vm, err == ENOENT || err == ENODEV || err == ENXIO ? CKVM_OPEN_NO_DEVICE
                           : err == EACCES || err == EPERM ? CKVM_OPEN_PERMISSION
                                                           : CKVM_OPEN_FAILED,
                       message, message_size);
  }
  vm->api = ioctl(vm->kvm, KVM_GET_API_VERSION, 0);
  if (vm->api < 0) {
    snprintf(vm->message, sizeof vm->message, "%s is not a KVM device (KVM_GET_API_VERSION: %s)",
             device, strerror(errno));
    return open_failed(vm, CKVM_OPEN_FAILED, message, message_size);
  }
  if (vm->api != KVM_API_VERSION) {
    snprintf(vm->message, sizeof vm->message, "KVM API version %d, crpin needs %d", vm->api,
             KVM_API_VERSION);
    return open_failed(vm, CKVM_OPEN_TOO_OLD, message, message_size);
  }
  if (ioctl(vm->kvm, KVM_CHECK_EXTENSION, KVM_CAP_EXT_CPUID) <= 0 ||
      ioctl(vm->kvm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) <= 0) {
    snprintf(vm->message, sizeof vm->message,
             "this KVM lacks KVM_CAP_EXT_CPUID or KVM_CAP_USER_MEMORY");
    return open_failed(vm, CKVM_OPEN_TOO_OLD, message, message_size);
  }
  if ((vm->vm = ioctl(vm->kvm, KVM_CREATE_VM, 0)) < 0) {
    fail(vm, "KVM_CREATE_VM");
    return open_failed(vm, CKVM_OPEN_FAILED, message, message_size);
  }
  size_t roots = sizeof extra_roots / sizeof *extra_roots;
  vm->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  vm->root_pages =
      mmap(NULL, roots * 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (vm->mem == MAP_FAILED || vm->root_pages == MAP_FAILED) {
    if (vm->mem == MAP_FAILED) vm->mem = NULL;
    if (vm->root_pages == MAP_FAILED) vm->root_pages = NULL;
    fail(vm, "mmap of guest memory");
    return open_failed(vm, CKVM_OPEN_FAILED, message, message_size);
  }
  build_memory(vm);
  int ok = set_memory(vm, 0, 0, MEM_SIZE, vm->mem) == 0;
  for (size_t r = 0; ok && r < roots; r++)
    ok = set_memory(vm, 1 + (uint32_t)r, extra_roots[r], 0x1000, vm->root_pages + r * 0x1000) == 0;
  if (!ok) return open_failed(vm, CKVM_OPEN_FAILED, message, message_size);
  if ((vm->vcpu = ioctl(vm->vm, KVM_CREATE_VCPU, 0)) < 0) {
    fail(vm, "KVM_CREATE_VCPU");
    return open_failed(vm, CKVM_OPEN_FAILED, message, message_size);
  }
  int size = ioctl(vm->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
  if (size <= 0) {
    fail(vm, "KVM_GET_VCPU_MMAP_SIZE");
    return open_failed(vm, CKVM_OPEN_FAILED, message, message_size);
  }
  vm->run_size = (size_t)size;
  vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu, 0);
  if (vm->run == MAP_FAILED) {
    vm->run = NULL;
    fail(vm, "mmap of kvm_run");
    return open_failed(vm, CKVM_OPEN_FAILED, message, message_size);
  }
  if (set_cpuid(vm) < 0 || ckvm_enter_mode(vm, 1) < 0)
    return open_failed(vm, CKVM_OPEN_FAILED, message, message_size);
  *out = vm;
  return CKVM_OPEN_OK;
}

void ckvm_close(ckvm_vm *vm) {
  if (!vm) return;
  if (vm->run) munmap(vm->run, vm->run_size);
  if (vm->mem) munmap(vm->mem, MEM_SIZE);
  if (vm->root_pages) munmap(vm->root_pages, sizeof extra_roots / sizeof *extra_roots * 0x1000);
  if (vm->vcpu >= 0) close(vm->vcpu);
  if (vm->vm >= 0) close(vm->vm);
  if (vm->kvm >= 0) close(vm->kvm);
  free(vm);
}

int ckvm_api_version(const ckvm_vm *vm) { return vm->api; }

int ckvm_check_extension(const ckvm_vm *vm, int capability) {
  int r = ioctl(vm->vm, KVM_CHECK_EXTENSION, capability);
  return r < 0 ? 0 : r;
}

int ckvm_guest_cpuid(const ckvm_vm *vm, ckvm_cpuid_leaf *leaves, int max) {
  int n = vm->ncpuid < max ? vm->ncpuid : max;
  memcpy(leaves, vm->cpuid, (size_t)n * sizeof *leaves);
  return n;
}

const char *ckvm_message(const ckvm_vm *vm) { return vm->message; }

// --- modes --------------------------------------------------------------------------------

static void flat_segment(struct kvm_segment *s, uint16_t selector, int code, int l, int db) {
  *s = (struct kvm_segment){.base = 0, .limit = 0xffffffff, .selector = selector,
                            .type = code ? 0xb : 0x3, .present = 1, .dpl = 0, .db = db,
                            .s = 1, .l = l, .g = 1};
}

static void real_segment(struct kvm_segment *s, int code) {
  *s = (struct kvm_segment){.base = 0, .limit = 0xffff, .selector = 0, .type = code ? 0xb : 0x3,
                            .present = 1, .s = 1};
}

int ckvm_enter_mode(ckvm_vm *vm, int mode) {
  struct kvm_sregs sregs;
  if (ioctl(vm->vcpu, KVM_GET_SREGS, &sregs) < 0) return fail(vm, "KVM_GET_SREGS");
  sregs.gdt.base = GDT;
  sregs.gdt.limit = 4 * 8 - 1;
  if (mode == 0) {
    real_segment(&sregs.cs, 1);
    real_segment(&sregs.ds, 0);
    sregs.cr0 = 0x60000010;
    sregs.cr3 = 0;
    sregs.cr4 = 0;
    sregs.efer = 0;
    sregs.idt.base = 0;
    sregs.idt.limit = 0x3ff;
  } else {
    flat_segment(&sregs.cs, SEL_CODE64, 1, 1, 0);
    flat_segment(&sregs.ds, SEL_DATA, 0, 0, 1);
    sregs.cr0 = 0x80050033;
    sregs.cr3 = PML4;
    sregs.cr4 = 0x20;  // PAE
    sregs.efer = 0x500;  // LME | LMA
    sregs.idt.base = IDT64;
    sregs.idt.limit = VECTORS * 16 - 1;
  }
  sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
  if (ioctl(vm->vcpu, KVM_SET_SREGS, &sregs) < 0) return fail(vm, "KVM_SET_SREGS");
  return 0;
}

int ckvm_get_state(ckvm_vm *vm, ckvm_state *state) {
  struct kvm_sregs sregs;
  struct kvm_regs regs;
  if (ioctl(vm->vcpu, KVM_GET_SREGS, &sregs) < 0) return fail(vm, "KVM_GET_SREGS");
  if (ioctl(vm->vcpu, KVM_GET_REGS, &regs) < 0) return fail(vm, "KVM_GET_REGS");
  *state = (ckvm_state){sregs.cr0, sregs.cr3, sregs.cr4, sregs.efer, regs.rax, regs.rdx,
                        regs.rip, sregs.cs.l, sregs.cs.db};
  return 0;
}

// --- the stub -----------------------------------------------------------------------------

/// Code being assembled for one statement, in the current code size (16, 32 or 64).
typedef struct {
  uint8_t bytes[64];
  int n, bits;
} code;

static void emit(code *c, int count, ...) {
  __builtin_va_list args;
  __builtin_va_start(args, count);
  for (int i = 0; i < count; i++) c->bytes[c->n++] = (uint8_t)__builtin_va_arg(args, int);
  __builtin_va_end(args);
}

static void emit32(code *c, uint32_t v) { put32(c->bytes + c->n, v); c->n += 4; }

/// mov e<reg>, imm32 (B8+reg), with the operand-size prefix in 16-bit code.
static void mov_imm32(code *c, int reg, uint32_t v) {
  if (c->bits == 16) emit(c, 1, 0x66);
  emit(c, 1, 0xb8 + reg);
  emit32(c, v);
}

/// The absolute memory operand [disp] for ModRM reg field `reg`, in the current code size.
static void absolute(code *c, int reg, uint32_t disp) {
  if (c->bits == 16) { emit(c, 1, 0x06 | reg << 3); put16(c->bytes + c->n, (uint16_t)disp); c->n += 2; }
  else if (c->bits == 32) { emit(c, 1, 0x05 | reg << 3); emit32(c, disp); }
  else { emit(c, 2, 0x04 | reg << 3, 0x25); emit32(c, disp); }
}

/// Starts a statement: LIDT of the IDT that fits the mode the vCPU is in now, so a fault
/// reaches a handler whatever mode the previous statements left.
static int begin(ckvm_vm *vm, code *c, struct kvm_sregs *sregs) {
  if (ioctl(vm->vcpu, KVM_GET_SREGS, sregs) < 0) return fail(vm, "KVM_GET_SREGS");
  c->n = 0;
  c->bits = sregs->cs.l && (sregs->efer & 0x400) ? 64 : sregs->cs.db ? 32 : 16;
  int image = (sregs->efer & 0x400) ? 32 : (sregs->cr0 & 1) ? 16 : 0;
  if (c->bits == 16) emit(c, 1, 0x66);
  emit(c, 2, 0x0f, 0x01);
  absolute(c, 3, IDTR_IMAGES + image);
  return 0;
}

/// Ends the statement (out 0x10, al; hlt), runs the vCPU from CODE and reads the exit.
static ckvm_run_status finish(ckvm_vm *vm, code *c, int *vector) {
  emit(c, 3, 0xe6, CKVM_PORT_DONE, 0xf4);
  memcpy(vm->mem + CODE, c->bytes, (size_t)c->n);
  struct kvm_regs regs;
  if (ioctl(vm->vcpu, KVM_GET_REGS, &regs) < 0) { fail(vm, "KVM_GET_REGS"); return CKVM_RUN_ERROR; }
  regs.rip = CODE;
  regs.rsp = STACK_TOP;
  regs.rflags = 0x2;
  if (ioctl(vm->vcpu, KVM_SET_REGS, &regs) < 0) { fail(vm, "KVM_SET_REGS"); return CKVM_RUN_ERROR; }
  for (int attempts = 0; attempts < 16; attempts++) {
    if (ioctl(vm->vcpu, KVM_RUN, 0) < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      fail(vm, "KVM_RUN");
      return CKVM_RUN_ERROR;
    }
    struct kvm_run *run = vm->run;
    switch (run->exit_reason) {
    case KVM_EXIT_IO: {
      uint8_t al = *((uint8_t *)run + run->io.data_offset);
      if (run->io.port == CKVM_PORT_DONE) return CKVM_RUN_OK;
      if (run->io.port == CKVM_PORT_FAULT) { *vector = al; return CKVM_RUN_FAULT; }
      snprintf(vm->message, sizeof vm->message, "the stub wrote to unexpected port 0x%x",
               run->io.port);
      return CKVM_RUN_INTERNAL;
    }
    case KVM_EXIT_SHUTDOWN:
      snprintf(vm->message, sizeof vm->message, "triple fault (KVM_EXIT_SHUTDOWN)");
      return CKVM_RUN_SHUTDOWN;
    case KVM_EXIT_INTERNAL_ERROR:
      snprintf(vm->message, sizeof vm->message, "KVM_EXIT_INTERNAL_ERROR, suberror %u",
               run->internal.suberror);
      return CKVM_RUN_INTERNAL;
    case KVM_EXIT_INTR:
      continue;
    default:
      snprintf(vm->message, sizeof vm->message, "unexpected exit %u", run->exit_reason);
      return CKVM_RUN_INTERNAL;
    }
  }
  snprintf(vm->message, sizeof vm->message, "KVM_RUN kept being interrupted");
  return CKVM_RUN_ERROR;
}

ckvm_run_status ckvm_mov_cr(ckvm_vm *vm, int cr, uint64_t value, int *vector) {
  code c;
  struct kvm_sregs sregs;
  if (begin(vm, &c, &sregs) < 0) return CKVM_RUN_ERROR;
  if (c.bits == 64) {
    emit(&c, 2, 0x48, 0xb8);  // mov rax, imm64
    put64(c.bytes + c.n, value);
    c.n += 8;
  } else if (value >> 32) {
    snprintf(vm->message, sizeof vm->message, "bits 63:32 can only be written from 64-bit code");
    return CKVM_RUN_UNENCODABLE;
  } else {
    mov_imm32(&c, 0, (uint32_t)value);
  }
  emit(&c, 3, 0x0f, 0x22, 0xc0 | cr << 3);  // mov crN, rax/eax
  return finish(vm, &c, vector);
}

ckvm_run_status ckvm_wrmsr(ckvm_vm *vm, uint32_t msr, uint64_t value, int *vector) {
  code c;
  struct kvm_sregs sregs;
  if (begin(vm, &c, &sregs) < 0) return CKVM_RUN_ERROR;
  mov_imm32(&c, 1, msr);                       // ecx
  mov_imm32(&c, 0, (uint32_t)value);           // eax
  mov_imm32(&c, 2, (uint32_t)(value >> 32));   // edx
  emit(&c, 2, 0x0f, 0x30);
  return finish(vm, &c, vector);
}

ckvm_run_status ckvm_rdmsr(ckvm_vm *vm, uint32_t msr, uint64_t *value, int *vector) {
  code c;
  struct kvm_sregs sregs;
  if (begin(vm, &c, &sregs) < 0) return CKVM_RUN_ERROR;
  mov_imm32(&c, 0, 0);
  mov_imm32(&c, 2, 0);
  mov_imm32(&c, 1, msr);
  emit(&c, 2, 0x0f, 0x32);
  ckvm_run_status status = finish(vm, &c, vector);
  if (status == CKVM_RUN_OK) {
    struct kvm_regs regs;
    if (ioctl(vm->vcpu, KVM_GET_REGS, &regs) < 0) { fail(vm, "KVM_GET_REGS"); return CKVM_RUN_ERROR; }
    *value = (regs.rdx & 0xffffffff) << 32 | (regs.rax & 0xffffffff);
  }
  return status;
}

ckvm_run_status ckvm_settle_mode(ckvm_vm *vm, int *vector) {
  code c;
  struct kvm_sregs sregs;
  if (begin(vm, &c, &sregs) < 0) return CKVM_RUN_ERROR;
  int long_mode = (sregs.efer & 0x400) != 0, protected_mode = (sregs.cr0 & 1) != 0;
  if (long_mode ? sregs.cs.l : !protected_mode || (sregs.cs.db && !sregs.cs.l)) return CKVM_RUN_OK;
  uint16_t selector = (sregs.efer & 0x400) ? SEL_CODE64 : (sregs.cr0 & 1) ? SEL_CODE32 : 0;
  // jmp far [FAR_POINTER] (m16:32): the target is the instruction after the jump.
  if (c.bits == 16) emit(&c, 1, 0x66);
  emit(&c, 1, 0xff);
  absolute(&c, 5, FAR_POINTER);
  put32(vm->mem + FAR_POINTER, CODE + (uint32_t)c.n);
  put16(vm->mem + FAR_POINTER + 4, selector);
  return finish(vm, &c, vector);
}

// --- the VMM's ioctls ---------------------------------------------------------------------

/// KVM_SET_MSRS or KVM_GET_MSRS of one MSR: the count KVM processed, or -1.
static int one_msr(ckvm_vm *vm, unsigned long request, uint32_t msr, uint64_t *value) {
  _Alignas(struct kvm_msr_entry) uint8_t bytes[sizeof(struct kvm_msrs) + sizeof(struct kvm_msr_entry)];
  memset(bytes, 0, sizeof bytes);
  struct kvm_msrs *msrs = (struct kvm_msrs *)bytes;
  msrs->nmsrs = 1;
  msrs->entries[0].index = msr;
  msrs->entries[0].data = *value;
  int r = ioctl(vm->vcpu, request, msrs);
  if (r < 0) return fail(vm, request == KVM_SET_MSRS ? "KVM_SET_MSRS" : "KVM_GET_MSRS");
  *value = msrs->entries[0].data;
  return r;
}

int ckvm_host_set_msr(ckvm_vm *vm, uint32_t msr, uint64_t value) {
  return one_msr(vm, KVM_SET_MSRS, msr, &value);
}

int ckvm_host_get_msr(ckvm_vm *vm, uint32_t msr, uint64_t *value) {
  uint64_t read = 0;
  int r = one_msr(vm, KVM_GET_MSRS, msr, &read);
  if (r == 1) *value = read;
  return r;
}

int ckvm_host_set_sregs(ckvm_vm *vm, unsigned which, uint64_t cr0, uint64_t cr3, uint64_t cr4,
                        uint64_t efer) {
  struct kvm_sregs sregs;
  if (ioctl(vm->vcpu, KVM_GET_SREGS, &sregs) < 0) { fail(vm, "KVM_GET_SREGS"); return -errno; }
  if (which & 1) sregs.cr0 = cr0;
  if (which & 2) sregs.cr3 = cr3;
  if (which & 4) sregs.cr4 = cr4;
  if (which & 8) sregs.efer = efer;
  if (ioctl(vm->vcpu, KVM_SET_SREGS, &sregs) < 0) { int e = errno; fail(vm, "KVM_SET_SREGS"); return -e; }
  return 0;
}
