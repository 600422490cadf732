package io.skyplane.store.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.PathIsDirectoryException;
import org.apache.hadoop.security.AccessControlException;
import org.junit.jupiter.api.Test;

class HadoopErrorsTest {
  private static StoreException translate(Throwable e) {
    return HadoopErrors.translate("read", "s3a://b/k", e);
  }

  @Test
  void kindsFollowTheExceptionTypes() {
    assertThat(translate(new FileNotFoundException("No such file")).kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(translate(new AccessDeniedException("s3a://b/k")).kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(translate(new AccessControlException("Permission denied")).kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(translate(new FileAlreadyExistsException("exists")).kind()).isEqualTo(Kind.ALREADY_EXISTS);
    assertThat(translate(new PathIsDirectoryException("/b/k")).kind()).isEqualTo(Kind.FATAL);
    assertThat(translate(new InterruptedIOException("timeout")).kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(translate(new IOException("Connection reset")).kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(translate(new UnsupportedOperationException("no concat")).kind()).isEqualTo(Kind.FATAL);
    assertThat(translate(new IllegalArgumentException("bad fs.s3a.endpoint")).kind()).isEqualTo(Kind.FATAL);
  }

  @Test
  void wrappersAreUnwrappedAndStoreExceptionsKept() {
    assertThat(translate(new UncheckedIOException(new FileNotFoundException("gone"))).kind()).isEqualTo(Kind.NOT_FOUND);
    StoreException own = new StoreException(Kind.THROTTLED, "cannot put x: throttled");
    assertThat(translate(own)).isSameAs(own);
  }

  @Test
  void messagesNameTheActionTheUriAndTheCause() {
    StoreException e = translate(new FileNotFoundException("No such file or directory: s3a://b/k"));
    assertThat(e.getMessage()).startsWith("cannot read s3a://b/k: not found (FileNotFoundException: No such file");
    assertThat(e.getCause()).isInstanceOf(FileNotFoundException.class);
  }
}
