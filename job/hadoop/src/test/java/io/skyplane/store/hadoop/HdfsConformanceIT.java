package io.skyplane.store.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.store.MultipartUpload;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStoreConformance;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreException;
import io.skyplane.store.PartReceipt;
import io.skyplane.store.StoreSpec;
import io.skyplane.store.TestData;
import io.skyplane.store.Uploads;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite on HDFS (an in-process MiniDFSCluster: one NameNode, one DataNode), each
 * test under a fresh root directory. This is where complete joins parts with {@code concat} and
 * where a rename does not replace an existing file.
 */
class HdfsConformanceIT extends ObjectStoreConformance {
  private static final AtomicInteger ROOTS = new AtomicInteger();
  private static MiniDFSCluster cluster;
  private String root;

  @BeforeAll
  static void startHdfs() throws IOException {
    if (cluster != null) {
      return;
    }
    File base = Files.createTempDirectory("minidfs-").toFile();
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
    conf.setLong("dfs.blocksize", 1 << 20); // small blocks: parts span several
    conf.setInt("dfs.bytes-per-checksum", 512);
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
      cluster = null;
    }
  }

  /** HDFS joins parts with concat, also parts that end mid-block (the job's chunks rarely fill blocks). */
  @Test
  void concatenatesPartsThatDoNotFillBlocks() throws Exception {
    assertThat(cluster.getFileSystem().hasPathCapability(new Path("/"), CommonPathCapabilities.FS_CONCAT)).isTrue();
    MultipartWriter writer = store.multipart();
    long size = 3 * 300_000L + 17;
    MultipartUpload upload = writer.create("c/odd");
    List<PartReceipt> receipts = Uploads.uploadAll(writer, upload, 31, size, 300_000, 2, new Random(5));
    assertThat(writer.complete(upload, receipts).size()).isEqualTo(size);
    try (InputStream in = store.read("c/odd", 0, size)) {
      assertThat(in.readAllBytes()).isEqualTo(TestData.bytes(31, (int) size));
    }
    assertThat(writer.pending("")).isEmpty();
    assertThat(cluster.getFileSystem().exists(new Path(root, "c/.skyplane-parts"))).isFalse();
  }

  /** A complete that failed after its concat (before the rename) is completed by a retry. */
  @Test
  void completeRetriedAfterAnInterruptedConcatFinishes() throws Exception {
    MultipartWriter writer = store.multipart();
    long size = 3 * 200_000L;
    MultipartUpload upload = writer.create("c/retried");
    List<PartReceipt> receipts = Uploads.uploadAll(writer, upload, 32, size, 200_000, 2, new Random(6));
    Path parts = new Path(root, "c/.skyplane-parts/" + upload.uploadId());
    cluster.getFileSystem().concat(new Path(parts, "part-1"),
        new Path[] {new Path(parts, "part-2"), new Path(parts, "part-3")});
    assertThat(writer.complete(upload, receipts).size()).isEqualTo(size);
    try (InputStream in = store.read("c/retried", 0, size)) {
      assertThat(in.readAllBytes()).isEqualTo(TestData.bytes(32, (int) size));
    }
    assertThat(writer.pending("")).isEmpty();
  }

  /** A one-part upload is renamed into place, not copied. */
  @Test
  void onePartIsTheObject() throws Exception {
    MultipartWriter writer = store.multipart();
    MultipartUpload upload = writer.create("c/one");
    List<PartReceipt> receipts = Uploads.uploadAll(writer, upload, 33, 1234, 4096, 1, new Random(7));
    assertThat(writer.complete(upload, receipts).size()).isEqualTo(1234);
    assertThat(read("c/one", 0, 1234)).isEqualTo(TestData.bytes(33, 1234));
    assertThat(cluster.getFileSystem().exists(new Path(root, "c/.skyplane-parts"))).isFalse();
  }

  private static ObjectStore open(String root) throws IOException {
    return ObjectStores.open(new StoreSpec("hdfs", "127.0.0.1:" + cluster.getNameNodePort(),
        Map.of(HadoopStoreFactory.ROOT, root)));
  }

  @Override
  protected ObjectStore newStore() throws IOException {
    root = "/conformance-" + ROOTS.incrementAndGet();
    cluster.getFileSystem().mkdirs(new Path(root));
    return open(root);
  }

  @Override
  protected ObjectStore storeWithoutBucket() throws IOException {
    return open("/never-created");
  }

  /** Hadoop paths normalise '..' away; the store refuses such keys instead of writing elsewhere. */
  @Override
  protected Optional<StoreException.Kind> dotDotKeyRejection() {
    return Optional.of(StoreException.Kind.FATAL);
  }

  /**
   * A Hadoop path cannot end in '/', so the store refuses marker keys; a file system's directories
   * (and the markers an object store's connector keeps for them) are not listed as objects.
   */
  @Override
  protected Markers directoryMarkers() {
    return Markers.UNSUPPORTED;
  }
}
