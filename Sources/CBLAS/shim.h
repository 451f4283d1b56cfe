// The few C declarations Lockstep needs to call OpenBLAS, which it loads at run time with
// dlopen (see TensorCore/BLAS.swift), plus a CPUID probe to choose OpenBLAS's core type first,
// and the C library's allocator setting for tensor buffers. Nothing here links a library.
#ifndef LOCKSTEP_CBLAS_SHIM_H
#define LOCKSTEP_CBLAS_SHIM_H

#include <stdbool.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// Keeps glibc from unmapping large freed blocks (and mapping fresh, kernel-zeroed ones for the
// next tensor): freed tensor memory stays in the heap for reuse.
static inline void lockstep_keep_freed_memory(void) {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 0x7fffffff);
#endif
}

// CBLAS enumeration values (cblas.h's CBLAS_ORDER and CBLAS_TRANSPOSE).
#define LOCKSTEP_CBLAS_ROW_MAJOR 101
#define LOCKSTEP_CBLAS_NO_TRANS 111
#define LOCKSTEP_CBLAS_TRANS 112

// cblas_sgemm and cblas_dgemm of an LP64 OpenBLAS (32-bit `blasint`, enums passed as int).
typedef void (*lockstep_sgemm_fn)(
  int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
  const float *b, int ldb, float beta, float *c, int ldc);
typedef void (*lockstep_dgemm_fn)(
  int order, int trans_a, int trans_b, int m, int n, int k, double alpha, const double *a, int lda,
  const double *b, int ldb, double beta, double *c, int ldc);
// openblas_get_corename, openblas_set_num_threads and openblas_get_num_threads.
typedef char *(*lockstep_get_corename_fn)(void);
typedef void (*lockstep_set_num_threads_fn)(int count);
typedef int (*lockstep_get_num_threads_fn)(void);

// The x86 vector features that decide OpenBLAS's core type, each true only when the CPU has it
// AND the OS saves its register state (XCR0, read with XGETBV).
typedef struct {
  bool avx2;
  bool fma;
  // AVX-512 F, DQ, BW and VL: the Skylake-X set OpenBLAS's SkylakeX kernels are built for.
  bool avx512;
} lockstep_x86_features;

// This CPU's features; all false on other architectures.
static inline lockstep_x86_features lockstep_x86_probe(void) {
  lockstep_x86_features features = {false, false, false};
#if defined(__x86_64__)
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return features;
  const unsigned osxsave = 1u << 27, avx = 1u << 28, fma = 1u << 12;
  if ((ecx & (osxsave | avx)) != (osxsave | avx)) return features;
  unsigned xcr0, xcr0_high;
  __asm__ volatile("xgetbv" : "=a"(xcr0), "=d"(xcr0_high) : "c"(0));
  const unsigned ymm_state = 0x06;  // SSE and AVX state
  const unsigned zmm_state = 0xe6;  // also opmask, ZMM0-15 upper halves and ZMM16-31
  if ((xcr0 & ymm_state) != ymm_state) return features;
  features.fma = (ecx & fma) != 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return features;
  const unsigned avx2 = 1u << 5;
  const unsigned avx512 = (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);  // F, DQ, BW, VL
  features.avx2 = (ebx & avx2) != 0;
  features.avx512 = (ebx & avx512) == avx512 && (xcr0 & zmm_state) == zmm_state;
#endif
  return features;
}

#endif
