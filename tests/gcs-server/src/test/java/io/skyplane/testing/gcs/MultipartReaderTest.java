package io.skyplane.testing.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
  @Test
  void readsPartsWithAndWithoutHeaders() throws Exception {
    String body = "preamble\r\n--b1\r\nContent-Type: application/json\r\n\r\n{\"name\":\"x\"}\r\n"
        + "--b1\r\n\r\nraw media\r\n--b1--\r\nepilogue";
    MultipartReader r = new MultipartReader(stream(body), "b1");
    Headers h1 = r.nextPart();
    assertThat(h1.getFirst("content-type")).isEqualTo("application/json");
    assertThat(text(r.body())).isEqualTo("{\"name\":\"x\"}");
    Headers h2 = r.nextPart();
    assertThat(h2).isEmpty();
    assertThat(text(r.body())).isEqualTo("raw media");
    assertThat(r.nextPart()).isNull();
  }

  @Test
  void streamsLargeBinaryPartsThatContainBoundaryLikeBytes() throws Exception {
    byte[] data = new byte[3_000_000];
    new Random(1).nextBytes(data);
    byte[] tricky = "\r\n--boundar".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(tricky, 0, data, 262_140, tricky.length); // straddles the internal buffer
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("--boundary\r\nContent-Type: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    body.writeBytes(data);
    body.writeBytes("\r\n--boundary--".getBytes(StandardCharsets.ISO_8859_1));
    MultipartReader r = new MultipartReader(new ByteArrayInputStream(body.toByteArray()),
        "boundary");
    assertThat(r.nextPart()).isNotNull();
    assertThat(r.body().readAllBytes()).isEqualTo(data);
    assertThat(r.nextPart()).isNull();
  }

  @Test
  void failsOnATruncatedBody() throws Exception {
    MultipartReader r = new MultipartReader(stream("--b\r\n\r\nno end"), "b");
    r.nextPart();
    assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(EOFException.class);
  }

  @Test
  void parsesQuotedBoundaries() throws Exception {
    assertThat(MultipartReader.boundary("multipart/related; boundary=\"=== x ===\""))
        .isEqualTo("=== x ===");
    assertThat(MultipartReader.boundary("multipart/mixed;boundary=batch_1")).isEqualTo("batch_1");
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String text(InputStream in) throws Exception {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
