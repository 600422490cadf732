package io.skyplane.testing.faults;

import java.io.IOException;

/** Where {@link BodyCopy} puts a body: payload bytes, chunk framing, and the end. */
interface BodySink {
  /** Body bytes (without chunk framing). */
  void payload(byte[] b, int off, int len) throws IOException;

  /** Chunk-size lines, chunk CRLFs, the last chunk and trailers, as received. */
  void framing(byte[] b, int off, int len) throws IOException;

  /** Called once all payload is there, before the last chunk (chunked) or at the close. */
  void end() throws IOException;
}
