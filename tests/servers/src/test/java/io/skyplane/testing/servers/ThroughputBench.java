package io.skyplane.testing.servers;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Single-stream PUT and GET throughput of each local server on loopback (not a test; run with
 * {@code tests/servers/bench [MiB]}). One object, one request each way, after a small warm-up.
 * Client and server share this machine's cores, so the numbers include client-side cost.
 */
public final class ThroughputBench {
  private static final int BLOCK = 1 << 20;

  private interface Transfer {
    void put(String key, long size) throws Exception;

    long get(String key) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 512;
    long size = mib << 20;
    System.out.printf(Locale.ROOT, "object: %d MiB, single stream, loopback%n", mib);
    System.out.printf(Locale.ROOT, "%-9s %-32s %10s %10s%n", "server", "client", "PUT MiB/s",
        "GET MiB/s");
    try (RunningServer<S3Endpoint> s = LocalServers.s3(ServerOptions.loopback())) {
      measure("s3proxy", "aws-sdk-java-v2 (SigV4)", s3(s.endpoint()), size);
    }
    try (RunningServer<AzureEndpoint> s = LocalServers.azurite(ServerOptions.loopback())) {
      measure("azurite", "azure-storage-blob", azure(s.endpoint()), size);
    }
    try (RunningServer<GcsEndpoint> s = LocalServers.gcs(ServerOptions.loopback())) {
      measure("gcs", "raw JSON API (media, alt=media)", gcsRaw(s.endpoint()), size);
      measure("gcs", "google-cloud-storage", gcsClient(s.endpoint()), size);
    }
  }

  private static void measure(String server, String client, Transfer t, long size)
      throws Exception {
    t.put("warmup", 32L << 20);
    t.get("warmup");
    long t0 = System.nanoTime();
    t.put("bench", size);
    long t1 = System.nanoTime();
    long got = t.get("bench");
    long t2 = System.nanoTime();
    if (got != size) {
      throw new IllegalStateException(server + ": GET returned " + got + " of " + size + " bytes");
    }
    double mib = size / (double) (1 << 20);
    System.out.printf(Locale.ROOT, "%-9s %-32s %10.0f %10.0f%n", server, client,
        mib / ((t1 - t0) / 1e9), mib / ((t2 - t1) / 1e9));
  }

  private static Transfer s3(S3Endpoint e) {
    S3Client s3 = S3Client.builder().endpointOverride(e.endpoint()).region(Region.of(e.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(e.accessKey(), e.secretKey())))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClient(UrlConnectionHttpClient.create()).build();
    s3.createBucket(b -> b.bucket("bench"));
    return new Transfer() {
      @Override
      public void put(String key, long size) {
        s3.putObject(b -> b.bucket("bench").key(key).contentLength(size),
            RequestBody.fromContentProvider(() -> data(size), size, "application/octet-stream"));
      }

      @Override
      public long get(String key) throws IOException {
        try (InputStream in = s3.getObject(b -> b.bucket("bench").key(key),
            ResponseTransformer.toInputStream())) {
          return drain(in);
        }
      }
    };
  }

  private static Transfer azure(AzureEndpoint e) {
    var container = new BlobServiceClientBuilder().connectionString(e.connectionString())
        .buildClient().createBlobContainer("bench");
    return new Transfer() {
      @Override
      public void put(String key, long size) {
        BlockBlobClient blob = container.getBlobClient(key).getBlockBlobClient();
        blob.upload(data(size), size, true); // one Put Blob request
      }

      @Override
      public long get(String key) {
        CountingSink sink = new CountingSink();
        container.getBlobClient(key).downloadStream(sink);
        return sink.count;
      }
    };
  }

  private static Transfer gcsRaw(GcsEndpoint e) throws IOException {
    request(e, "POST", "/storage/v1/b?project=p", "{\"name\":\"bench-raw\"}".getBytes());
    return new Transfer() {
      @Override
      public void put(String key, long size) throws IOException {
        HttpURLConnection c = open(e, "POST",
            "/upload/storage/v1/b/bench-raw/o?uploadType=media&name=" + key);
        c.setFixedLengthStreamingMode(size);
        try (OutputStream out = c.getOutputStream(); InputStream in = data(size)) {
          in.transferTo(out);
        }
        check(c);
      }

      @Override
      public long get(String key) throws IOException {
        HttpURLConnection c = open(e, "GET", "/storage/v1/b/bench-raw/o/" + key + "?alt=media");
        check(c);
        try (InputStream in = c.getInputStream()) {
          return drain(in);
        }
      }
    };
  }

  private static Transfer gcsClient(GcsEndpoint e) {
    Storage storage = StorageOptions.http().setHost(e.endpoint().toString())
        .setProjectId(e.projectId()).setCredentials(NoCredentials.getInstance()).build()
        .getService();
    storage.create(BucketInfo.of("bench-client"));
    return new Transfer() {
      @Override
      public void put(String key, long size) throws IOException {
        try (WriteChannel w = storage.writer(BlobInfo.newBuilder("bench-client", key).build());
            InputStream in = data(size)) {
          w.setChunkSize(64 << 20);
          byte[] buf = new byte[BLOCK];
          for (int n; (n = in.read(buf)) > 0; ) {
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            while (bb.hasRemaining()) {
              w.write(bb);
            }
          }
        }
      }

      @Override
      public long get(String key) throws IOException {
        long total = 0;
        try (ReadChannel r = storage.reader(BlobId.of("bench-client", key))) {
          r.setChunkSize(16 << 20);
          ByteBuffer buf = ByteBuffer.allocate(4 << 20);
          for (int n; (n = r.read(buf)) >= 0; buf.clear()) {
            total += n;
          }
        }
        return total;
      }
    };
  }

  private static HttpURLConnection open(GcsEndpoint e, String method, String path)
      throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(e.endpoint() + path).toURL()
        .openConnection();
    c.setRequestMethod(method);
    c.setDoOutput(!"GET".equals(method));
    return c;
  }

  private static void request(GcsEndpoint e, String method, String path, byte[] body)
      throws IOException {
    HttpURLConnection c = open(e, method, path);
    try (OutputStream out = c.getOutputStream()) {
      out.write(body);
    }
    check(c);
    c.getInputStream().close();
  }

  private static void check(HttpURLConnection c) throws IOException {
    if (c.getResponseCode() != 200) {
      throw new IOException(c.getRequestMethod() + " " + c.getURL() + ": " + c.getResponseCode());
    }
  }

  private static long drain(InputStream in) throws IOException {
    byte[] buf = new byte[BLOCK];
    long total = 0;
    for (int n; (n = in.read(buf)) >= 0; ) {
      total += n;
    }
    return total;
  }

  /** {@code size} bytes of a repeated random block, each copy stamped with its index. */
  private static InputStream data(long size) {
    byte[] block = new byte[BLOCK];
    new Random(42).nextBytes(block);
    return new InputStream() {
      private long pos;
      private long mark;

      @Override
      public boolean markSupported() {
        return true; // regenerated, not buffered: the Azure SDK needs mark/reset for retries
      }

      @Override
      public synchronized void mark(int readLimit) {
        mark = pos;
      }

      @Override
      public synchronized void reset() {
        pos = mark;
        ByteBuffer.wrap(block).putLong(pos / BLOCK);
      }

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= size) {
          return -1;
        }
        int inBlock = (int) (pos % BLOCK);
        if (inBlock == 0) {
          ByteBuffer.wrap(block).putLong(pos / BLOCK);
        }
        int n = (int) Math.min(Math.min(len, BLOCK - inBlock), size - pos);
        System.arraycopy(block, inBlock, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  private static final class CountingSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
