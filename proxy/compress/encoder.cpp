#include "proxy/compress/encoder.hpp"

#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

#include <array>
#include <memory>
#include <vector>

namespace gw::proxy::compress {
namespace {

constexpr int kGzipLevel = 5;
constexpr int kBrotliQuality = 4;
constexpr int kZstdLevel = 3;
constexpr std::size_t kStep = 16 * 1024;  // output made this much at a time at most

// Where a compressor writes a step's output, which is then appended to the answer's: one per
// worker thread, so it stays in cache, and an answer's output is not first grown (and zeroed)
// by a step it mostly does not fill.
thread_local std::array<char, kStep> step_out;

// A compressor's state is some 256 KiB (zlib) or more (zstd): made and freed for every answer,
// it would cost an mmap, page faults and an munmap each time. Each worker thread keeps a few
// of them and resets one for the next answer instead.
constexpr std::size_t kKeptPerThread = 8;

struct ZlibStreams {
  std::vector<std::unique_ptr<z_stream>> free;
  ZlibStreams() = default;
  ZlibStreams(const ZlibStreams&) = delete;
  ZlibStreams& operator=(const ZlibStreams&) = delete;
  ~ZlibStreams() {
    for (auto& z : free) {
      deflateEnd(z.get());
    }
  }
};
thread_local ZlibStreams zlib_streams;

struct ZstdContexts {
  std::vector<ZSTD_CCtx*> free;
  ZstdContexts() = default;
  ZstdContexts(const ZstdContexts&) = delete;
  ZstdContexts& operator=(const ZstdContexts&) = delete;
  ~ZstdContexts() {
    for (ZSTD_CCtx* c : free) {
      ZSTD_freeCCtx(c);
    }
  }
};
thread_local ZstdContexts zstd_contexts;

class Gzip final : public Encoder {
 public:
  Gzip() {
    auto& kept = zlib_streams.free;
    if (!kept.empty()) {
      z_ = std::move(kept.back());
      kept.pop_back();
      ok_ = deflateReset(z_.get()) == Z_OK;
      return;
    }
    z_ = std::make_unique<z_stream>();
    // 15 bits of window, +16: a gzip header and trailer; 8: zlib's default memory level.
    ok_ = deflateInit2(z_.get(), kGzipLevel, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~Gzip() override { release(); }
  Gzip(const Gzip&) = delete;
  Gzip& operator=(const Gzip&) = delete;

 protected:
  bool compress(std::string_view in, std::string& out, bool flush) override {
    return run(in, out, flush ? Z_SYNC_FLUSH : Z_NO_FLUSH);
  }
  bool end(std::string& out) override {
    const bool ended = run({}, out, Z_FINISH);
    release();  // back to the worker's streams at once: the next answer finds it in cache
    return ended;
  }

 private:
  // The stream goes back to the worker's (or is freed); the encoder takes no more input.
  void release() {
    if (!z_) {
      return;
    }
    if (ok_ && zlib_streams.free.size() < kKeptPerThread) {
      zlib_streams.free.push_back(std::move(z_));
    } else {
      deflateEnd(z_.get());
      z_.reset();
    }
    ok_ = false;
  }

  bool run(std::string_view in, std::string& out, int flush) {
    if (!ok_) {
      return false;
    }
    // zlib's interface is not const-correct; it does not write to its input.
    z_->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));  // NOLINT
    z_->avail_in = static_cast<uInt>(in.size());
    for (;;) {
      z_->next_out = reinterpret_cast<Bytef*>(step_out.data());  // NOLINT
      z_->avail_out = static_cast<uInt>(kStep);
      const int rc = deflate(z_.get(), flush);
      out.append(step_out.data(), kStep - z_->avail_out);
      if (rc == Z_STREAM_END) {
        return true;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return false;
      }
      if (z_->avail_out != 0 && z_->avail_in == 0) {  // all of the input taken (and flushed)
        return flush != Z_FINISH;
      }
    }
  }

  std::unique_ptr<z_stream> z_;
  bool ok_ = false;
};

class Brotli final : public Encoder {
 public:
  Brotli() : state_(BrotliEncoderCreateInstance(nullptr, nullptr, nullptr)) {
    if (state_ != nullptr) {
      BrotliEncoderSetParameter(state_, BROTLI_PARAM_QUALITY, kBrotliQuality);
    }
  }
  ~Brotli() override { BrotliEncoderDestroyInstance(state_); }
  Brotli(const Brotli&) = delete;
  Brotli& operator=(const Brotli&) = delete;

 protected:
  bool compress(std::string_view in, std::string& out, bool flush) override {
    return run(in, out, flush ? BROTLI_OPERATION_FLUSH : BROTLI_OPERATION_PROCESS);
  }
  bool end(std::string& out) override { return run({}, out, BROTLI_OPERATION_FINISH); }

 private:
  bool run(std::string_view in, std::string& out, BrotliEncoderOperation op) {
    if (state_ == nullptr) {
      return false;
    }
    std::size_t in_left = in.size();
    const auto* next_in = reinterpret_cast<const std::uint8_t*>(in.data());  // NOLINT
    for (;;) {
      std::size_t out_left = kStep;
      auto* next_out = reinterpret_cast<std::uint8_t*>(step_out.data());  // NOLINT
      if (BrotliEncoderCompressStream(state_, op, &in_left, &next_in, &out_left, &next_out,
                                      nullptr) == BROTLI_FALSE) {
        return false;
      }
      out.append(step_out.data(), kStep - out_left);
      const bool done = op == BROTLI_OPERATION_FINISH
                            ? BrotliEncoderIsFinished(state_) == BROTLI_TRUE
                            : in_left == 0;
      if (done &&
          (op == BROTLI_OPERATION_PROCESS || BrotliEncoderHasMoreOutput(state_) == BROTLI_FALSE)) {
        return true;
      }
    }
  }

  BrotliEncoderState* state_;
};

class Zstd final : public Encoder {
 public:
  Zstd() {
    auto& kept = zstd_contexts.free;
    if (!kept.empty()) {
      cctx_ = kept.back();
      kept.pop_back();
      ZSTD_CCtx_reset(cctx_, ZSTD_reset_session_only);  // the level stays
      return;
    }
    cctx_ = ZSTD_createCCtx();
    if (cctx_ != nullptr) {
      ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, kZstdLevel);
    }
  }
  ~Zstd() override { release(); }
  Zstd(const Zstd&) = delete;
  Zstd& operator=(const Zstd&) = delete;

 protected:
  bool compress(std::string_view in, std::string& out, bool flush) override {
    return run(in, out, flush ? ZSTD_e_flush : ZSTD_e_continue);
  }
  bool end(std::string& out) override {
    const bool ended = run({}, out, ZSTD_e_end);
    release();  // back to the worker's contexts at once, as gzip's
    return ended;
  }

 private:
  void release() {
    if (cctx_ == nullptr) {
      return;
    }
    if (zstd_contexts.free.size() < kKeptPerThread) {
      zstd_contexts.free.push_back(cctx_);
    } else {
      ZSTD_freeCCtx(cctx_);
    }
    cctx_ = nullptr;
  }

  bool run(std::string_view in, std::string& out, ZSTD_EndDirective mode) {
    if (cctx_ == nullptr) {
      return false;
    }
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    for (;;) {
      ZSTD_outBuffer output{step_out.data(), kStep, 0};
      const std::size_t left = ZSTD_compressStream2(cctx_, &output, &input, mode);
      out.append(step_out.data(), output.pos);
      if (ZSTD_isError(left) != 0) {
        return false;
      }
      const bool flushed = left == 0 || mode == ZSTD_e_continue;
      if (flushed && input.pos == input.size && output.pos < kStep) {
        return true;  // all taken, and flushed (or ended) when asked
      }
    }
  }

  ZSTD_CCtx* cctx_ = nullptr;
};

}  // namespace

std::unique_ptr<Encoder> makeEncoder(core::Compress::Encoding encoding) {
  switch (encoding) {
    case core::Compress::Encoding::kZstd:
      return std::make_unique<Zstd>();
    case core::Compress::Encoding::kBrotli:
      return std::make_unique<Brotli>();
    case core::Compress::Encoding::kGzip:
      return std::make_unique<Gzip>();
  }
  return std::make_unique<Gzip>();
}

}  // namespace gw::proxy::compress
