package io.skyplane.job.codec;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import io.skyplane.job.model.Codec;
import io.skyplane.job.model.Frame;
import java.io.IOException;

/**
 * Encodes and decodes frame payloads. One instance per operator instance (it holds native zstd
 * contexts); not thread-safe. A frame that zstd does not shrink is sent raw, so incompressible data
 * costs no decompression at the destination; a frame over 128 KiB whose middle 32 KiB do not shrink is
 * sent raw without compressing the rest (random or already-compressed data costs one sample).
 */
public final class FrameCodec implements AutoCloseable {
  /** Frames above this size are probed with a sample first; random data then costs one sample. */
  private static final int PROBE_ABOVE = 128 * 1024;
  private static final int PROBE_SIZE = 32 * 1024;
  /** A sample that does not shrink below this fraction marks the frame incompressible. */
  private static final double PROBE_RATIO = 0.97;

  private final Compression compression;
  private ZstdCompressCtx compressor;
  private byte[] probe;
  /** Reused for every frame: only the compressed bytes are copied out. */
  private byte[] output;
  private ZstdDecompressCtx decompressor;

  public FrameCodec(Compression compression) {
    this.compression = compression;
  }

  /** Returns the frame with its raw payload encoded as configured. */
  public Frame encode(Frame raw) {
    if (raw.failed()) {
      return raw; // a read failure travels as it is
    }
    if (raw.codec() != Codec.NONE) {
      throw new IllegalArgumentException("frame is already encoded: " + raw.chunkId());
    }
    if (compression.codec() == Codec.NONE || raw.rawLength() == 0) {
      return raw;
    }
    if (compressor == null) {
      compressor = new ZstdCompressCtx();
      compressor.setLevel(compression.level());
      compressor.setChecksum(false);
    }
    byte[] payload = raw.payload();
    if (payload.length > PROBE_ABOVE) {
      if (probe == null) {
        probe = new byte[(int) com.github.luben.zstd.Zstd.compressBound(PROBE_SIZE)];
      }
      int offset = payload.length / 2 - PROBE_SIZE / 2;
      // compressed in place from the payload into a reused buffer: no copy, no garbage
      int sampled = compressor.compressByteArray(probe, 0, probe.length, payload, offset, PROBE_SIZE);
      if (sampled >= PROBE_SIZE * PROBE_RATIO) {
        return raw;
      }
    }
    int bound = (int) com.github.luben.zstd.Zstd.compressBound(payload.length);
    if (output == null || output.length < bound) {
      output = new byte[bound];
    }
    int compressed = compressor.compressByteArray(output, 0, output.length, payload, 0, payload.length);
    if (compressed >= raw.rawLength()) {
      return raw;
    }
    return raw.withPayload(Codec.ZSTD, java.util.Arrays.copyOf(output, compressed));
  }

  /** Returns the frame's raw bytes; throws when the payload does not decode to rawLength bytes. */
  public byte[] decode(Frame frame) throws IOException {
    switch (frame.codec()) {
      case NONE:
        if (frame.payload().length != frame.rawLength()) {
          throw new IOException(
              "frame length " + frame.payload().length + " != expected " + frame.rawLength());
        }
        return frame.payload();
      case ZSTD:
        if (decompressor == null) {
          decompressor = new ZstdDecompressCtx();
        }
        try {
          byte[] raw = decompressor.decompress(frame.payload(), frame.rawLength());
          if (raw.length != frame.rawLength()) {
            throw new IOException(
                "zstd frame decoded to " + raw.length + " bytes, expected " + frame.rawLength());
          }
          return raw;
        } catch (RuntimeException e) {
          throw new IOException("zstd frame does not decode: " + e.getMessage(), e);
        }
      case FAILED:
        throw new IOException(frame.failure());
      default:
        throw new IOException("unknown codec " + frame.codec());
    }
  }

  @Override
  public void close() {
    if (compressor != null) {
      compressor.close();
      compressor = null;
    }
    if (decompressor != null) {
      decompressor.close();
      decompressor = null;
    }
  }
}
