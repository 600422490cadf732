package io.skyplane.job.scratch;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.store.Crc32c;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreSpec;
import io.skyplane.store.local.LocalStoreFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs' areas on the local-file store: leases decide what a sweep may touch. */
class RunSweeperTest {
  @TempDir Path root;
  private ObjectStore store;
  private RunSweeper sweeper;

  @BeforeEach
  void open() throws IOException {
    store = ObjectStores.open(new StoreSpec("file", "", Map.of(LocalStoreFactory.ROOT, root.toString())));
    sweeper = new RunSweeper(store, root, 0); // no settling: nothing writes late here
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  @Test
  void aLiveRunIsLeftAloneAndADeadOneIsRemovedWithItsUploads() throws IOException {
    String live = Scratch.newRunId();
    String dead = Scratch.newRunId();
    LeaseKeeper keeper = LeaseKeeper.start(store, live, "dst");
    MultipartUpload liveUpload = startJournaled(live, "same-key");
    put(Scratch.prefix(live) + "/files/abc", "live temp");
    long longAgo = System.currentTimeMillis() - Lease.TTL.toMillis() - 5_000;
    write(Scratch.lease(dead), new Lease(dead, "elsewhere", 1, 0, longAgo, longAgo, "dst"));
    MultipartUpload deadUpload = startJournaled(dead, "same-key");
    put(Scratch.prefix(dead) + "/files/def", "dead temp");

    RunSweeper.Result result = sweeper.sweepDead(null, System.currentTimeMillis());

    assertThat(result.clean()).isTrue();
    assertThat(result.uploadsAborted()).isEqualTo(1);
    assertThat(store.multipart().pending("same-key")).extracting(MultipartUpload::uploadId)
        .containsExactly(liveUpload.uploadId()).doesNotContain(deadUpload.uploadId());
    assertThat(sweeper.runs()).extracting(RunSweeper.Run::id).containsExactly(live);
    keeper.close();
  }

  @Test
  void aRunsOwnSweepRemovesEverythingOfItsAreaAndTheLeaseLast() throws IOException {
    String run = Scratch.newRunId();
    LeaseKeeper.claim(store, run, "dst");
    startJournaled(run, "k1");
    byte[] partial = "partial".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    store.multipart().upload(store.multipart().create("k2", run), 1, 0, partial, 0, partial.length,
        io.skyplane.store.Crc32c.of(partial, 0, partial.length)); // an unjournaled upload of the run's

    RunSweeper.Result result = sweeper.sweep(run, true, key -> true);

    assertThat(result.clean()).isTrue();
    assertThat(result.uploadsAborted()).isEqualTo(1);
    assertThat(store.multipart().pending("")).isEmpty();
    assertThat(root.resolve(Scratch.ROOT)).doesNotExist();
    try (Stream<Path> left = Files.list(root)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void anIntentWithoutItsUploadsLetsTheSweepFindTheUploadInTheStoreButNotAnotherLiveRunsOne() throws IOException {
    String dead = Scratch.newRunId();
    String live = Scratch.newRunId();
    LeaseKeeper keeper = LeaseKeeper.start(store, live, "dst");
    MultipartUpload livesUpload = startJournaled(live, "k");
    UploadJournal journal = new UploadJournal(store, dead);
    journal.intend(List.of("k")); // the dead run died between creating its upload and journaling it
    MultipartUpload unjournaled = store.multipart().create("k");

    RunSweeper.Result result = sweeper.sweepDead(null, System.currentTimeMillis());

    assertThat(result.clean()).isTrue();
    assertThat(store.multipart().pending("k")).extracting(MultipartUpload::uploadId)
        .containsExactly(livesUpload.uploadId()).doesNotContain(unjournaled.uploadId());
    keeper.close();
  }

  @Test
  void aLeaseOfAProcessOnThisHostThatIsGoneIsDeadAtOnce() {
    long now = System.currentTimeMillis();
    Lease gone = new Lease("0123456789ab", Lease.thisHost(), Long.MAX_VALUE - 1, 0, now, now, "dst");
    Lease self = Lease.ofThisProcess("0123456789ab", "dst", now);
    Lease unnamed = new Lease("0123456789ab", Lease.thisHost(), 0, 0, now, now, "dst");

    assertThat(gone.liveness(now)).isEqualTo(Lease.Liveness.PROCESS_GONE);
    assertThat(self.liveness(now)).isEqualTo(Lease.Liveness.ALIVE);
    assertThat(unnamed.liveness(now)).isEqualTo(Lease.Liveness.ALIVE);
    assertThat(unnamed.liveness(now + Lease.TTL.toMillis() + 1)).isEqualTo(Lease.Liveness.STALE);
  }

  @Test
  void userDataUnderTheReservedPrefixIsNeverARun() throws IOException {
    put(".skyplane-tmp/notes.txt", "mine");
    put(".skyplane-tmp/backup/0123456789ab/x", "mine too");

    assertThat(sweeper.runs()).isEmpty();
    sweeper.sweepDead(null, System.currentTimeMillis());

    assertThat(root.resolve(".skyplane-tmp/notes.txt")).hasContent("mine");
    assertThat(root.resolve(".skyplane-tmp/backup/0123456789ab/x")).hasContent("mine too");
  }

  private MultipartUpload startJournaled(String run, String key) throws IOException {
    UploadJournal journal = new UploadJournal(store, run);
    journal.intend(List.of(key));
    MultipartUpload upload = store.multipart().create(key);
    journal.started(List.of(upload));
    return upload;
  }

  private void put(String key, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    store.put(key, bytes, 0, bytes.length, Crc32c.of(bytes, 0, bytes.length));
  }

  private void write(String key, Lease lease) throws IOException {
    byte[] json = lease.toJson();
    store.put(key, json, 0, json.length, Crc32c.of(json, 0, json.length));
  }
}
