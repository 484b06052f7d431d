//===- CudaRuntimeWrappers.cpp - mgpu* functions on the CUDA driver API ---===//
//
// The host code that --inhibitor-to-gpu emits (gpu-to-llvm + the gpu.binary
// translation) calls mgpu* functions; upstream ships them in
// libmlir_cuda_runtime, which Debian's MLIR does not. This library provides
// the same C ABI on the CUDA driver API, for mlir-runner -shared-libs= or for
// linking, plus kernel timing with CUDA events:
//
//   inhibitorGpuTimerReset()      zero the kernel time and launch count
//   inhibitorGpuKernelMs() -> f64 kernel time since the reset (events around
//                                 each launch), in milliseconds
//   inhibitorGpuLaunches() -> i64 launches since the reset
//   inhibitorGpuPrintDevice()     print the device name to stdout
//
// Every launch is timed and waited for: the emitted host code synchronizes
// after each launch anyway (launches without async tokens).
//
//===----------------------------------------------------------------------===//

#include <cuda.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#define INHIBITOR_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

void check(CUresult result, const char *what) {
  if (result == CUDA_SUCCESS)
    return;
  const char *name = "<unknown>";
  cuGetErrorName(result, &name);
  std::fprintf(stderr, "inhibitor_cuda_runtime: %s failed: %s\n", what, name);
  std::abort();
}
#define CHECK(call) check(call, #call)

int defaultDevice = 0;

/// The primary context of the default device, current on this thread.
class ScopedContext {
public:
  ScopedContext() {
    static CUcontext context = [] {
      CHECK(cuInit(0));
      CUdevice device;
      CHECK(cuDeviceGet(&device, defaultDevice));
      CUcontext ctx;
      CHECK(cuDevicePrimaryCtxRetain(&ctx, device));
      return ctx;
    }();
    CHECK(cuCtxPushCurrent(context));
  }
  ~ScopedContext() { CHECK(cuCtxPopCurrent(nullptr)); }
};

double kernelMs = 0;
int64_t launches = 0;

} // namespace

INHIBITOR_EXPORT void mgpuSetDefaultDevice(int32_t device) {
  defaultDevice = device;
}

INHIBITOR_EXPORT CUmodule mgpuModuleLoad(void *data, size_t /*size*/) {
  ScopedContext scope;
  CUmodule module = nullptr;
  CHECK(cuModuleLoadData(&module, data));
  return module;
}

/// PTX text (gpu-module-to-binary format=isa), compiled by the driver.
INHIBITOR_EXPORT CUmodule mgpuModuleLoadJIT(void *data, int optLevel) {
  ScopedContext scope;
  CUmodule module = nullptr;
  char log[8192] = {0};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                            CU_JIT_OPTIMIZATION_LEVEL};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log)),
                    reinterpret_cast<void *>(static_cast<intptr_t>(
                        optLevel < 0 ? 0 : (optLevel > 4 ? 4 : optLevel)))};
  CUresult result = cuModuleLoadDataEx(&module, data, 3, options, values);
  if (result != CUDA_SUCCESS)
    std::fprintf(stderr, "inhibitor_cuda_runtime: PTX JIT log:\n%s\n", log);
  check(result, "cuModuleLoadDataEx");
  return module;
}

INHIBITOR_EXPORT void mgpuModuleUnload(CUmodule module) {
  CHECK(cuModuleUnload(module));
}

INHIBITOR_EXPORT CUfunction mgpuModuleGetFunction(CUmodule module,
                                                  const char *name) {
  CUfunction function = nullptr;
  CHECK(cuModuleGetFunction(&function, module, name));
  return function;
}

INHIBITOR_EXPORT void mgpuLaunchKernel(CUfunction function, intptr_t gridX,
                                       intptr_t gridY, intptr_t gridZ,
                                       intptr_t blockX, intptr_t blockY,
                                       intptr_t blockZ, int32_t smem,
                                       CUstream stream, void **params,
                                       void **extra, size_t /*paramsCount*/) {
  ScopedContext scope;
  if (smem > 0) {
    // Dynamic shared memory beyond 48 KiB must be opted into.
    CHECK(cuFuncSetAttribute(
        function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, smem));
  }
  CUevent start, stop;
  CHECK(cuEventCreate(&start, CU_EVENT_DEFAULT));
  CHECK(cuEventCreate(&stop, CU_EVENT_DEFAULT));
  CHECK(cuEventRecord(start, stream));
  CHECK(cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ,
                       smem, stream, params, extra));
  CHECK(cuEventRecord(stop, stream));
  CHECK(cuEventSynchronize(stop));
  float ms = 0;
  CHECK(cuEventElapsedTime(&ms, start, stop));
  kernelMs += ms;
  ++launches;
  CHECK(cuEventDestroy(start));
  CHECK(cuEventDestroy(stop));
}

INHIBITOR_EXPORT CUstream mgpuStreamCreate() {
  ScopedContext scope;
  CUstream stream = nullptr;
  CHECK(cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));
  return stream;
}

INHIBITOR_EXPORT void mgpuStreamDestroy(CUstream stream) {
  CHECK(cuStreamDestroy(stream));
}

INHIBITOR_EXPORT void mgpuStreamSynchronize(CUstream stream) {
  CHECK(cuStreamSynchronize(stream));
}

INHIBITOR_EXPORT void mgpuStreamWaitEvent(CUstream stream, CUevent event) {
  CHECK(cuStreamWaitEvent(stream, event, /*flags=*/0));
}

INHIBITOR_EXPORT CUevent mgpuEventCreate() {
  ScopedContext scope;
  CUevent event = nullptr;
  CHECK(cuEventCreate(&event, CU_EVENT_DISABLE_TIMING));
  return event;
}

INHIBITOR_EXPORT void mgpuEventDestroy(CUevent event) {
  CHECK(cuEventDestroy(event));
}

INHIBITOR_EXPORT void mgpuEventSynchronize(CUevent event) {
  CHECK(cuEventSynchronize(event));
}

INHIBITOR_EXPORT void mgpuEventRecord(CUevent event, CUstream stream) {
  CHECK(cuEventRecord(event, stream));
}

/// `isHostShared`: managed memory, valid on host and device (what
/// --inhibitor-to-gpu allocates host buffers with).
INHIBITOR_EXPORT void *mgpuMemAlloc(uint64_t sizeBytes, CUstream /*stream*/,
                                    bool isHostShared) {
  ScopedContext scope;
  CUdeviceptr ptr = 0;
  if (sizeBytes == 0)
    return nullptr;
  if (isHostShared)
    CHECK(cuMemAllocManaged(&ptr, sizeBytes, CU_MEM_ATTACH_GLOBAL));
  else
    CHECK(cuMemAlloc(&ptr, sizeBytes));
  return reinterpret_cast<void *>(ptr);
}

INHIBITOR_EXPORT void mgpuMemFree(void *ptr, CUstream /*stream*/) {
  if (!ptr)
    return;
  ScopedContext scope;
  CHECK(cuMemFree(reinterpret_cast<CUdeviceptr>(ptr)));
}

INHIBITOR_EXPORT void mgpuMemcpy(void *dst, void *src, size_t sizeBytes,
                                 CUstream stream) {
  ScopedContext scope;
  CHECK(cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                      reinterpret_cast<CUdeviceptr>(src), sizeBytes, stream));
}

INHIBITOR_EXPORT void mgpuMemset32(void *dst, unsigned int value, size_t count,
                                   CUstream stream) {
  ScopedContext scope;
  CHECK(cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                         stream));
}

INHIBITOR_EXPORT void mgpuMemset16(void *dst, unsigned short value,
                                   size_t count, CUstream stream) {
  ScopedContext scope;
  CHECK(cuMemsetD16Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                         stream));
}

INHIBITOR_EXPORT void inhibitorGpuTimerReset() {
  kernelMs = 0;
  launches = 0;
}

INHIBITOR_EXPORT double inhibitorGpuKernelMs() { return kernelMs; }

INHIBITOR_EXPORT int64_t inhibitorGpuLaunches() { return launches; }

INHIBITOR_EXPORT void inhibitorGpuPrintDevice() {
  ScopedContext scope;
  CUdevice device;
  CHECK(cuCtxGetDevice(&device));
  char name[256] = {0};
  CHECK(cuDeviceGetName(name, sizeof(name), device));
  int driver = 0;
  CHECK(cuDriverGetVersion(&driver));
  std::printf("device: %s (CUDA driver %d.%d)\n", name, driver / 1000,
              (driver % 1000) / 10);
  std::fflush(stdout);
}
