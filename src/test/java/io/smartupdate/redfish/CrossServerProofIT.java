package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.Postgres;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Deploy's proof of fetch, asked of server A, sees a BMC's fetch that the load balancer sent to server B. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrossServerProofIT {
  @TempDir Path dir;

  @Test
  void aFetchServedByTheOtherServerProvesTheDeploy() throws Exception {
    try (Postgres postgres = Postgres.start(dir.resolve("pg"))) {
      String url = postgres.url();
      try (TestServer a = TestServer.start(Files.createDirectories(dir.resolve("a")), c -> c.statusDb(url));
           TestServer b = TestServer.start(Files.createDirectories(dir.resolve("b")), c -> c.statusDb(url))) {
        byte[] image = Samples.write(a.repo().resolve("bios.bin"), 400_000, 3);
        Files.write(b.repo().resolve("bios.bin"), image); // one repository, as object storage gives both
        ServerApi api = new ServerApi(a.uri(Scheme.HTTP, "/"), a.token(), null, null);
        ServerApi.Image wanted = api.images(List.of("bios.bin")).get("bios.bin");
        ServerApi.Ticket ticket = new ServerApi.Ticket(b.uri(Scheme.HTTP, "/firmware/bios.bin").toString(), null, "127.0.0.1",
            TransferProtocol.HTTP);
        FetchProof record = new FetchProof(api, ticket, wanted);
        assertEquals(0, record.read().requests(), "nothing fetched yet");

        assertEquals(200, b.get(Scheme.HTTP, "/firmware/bios.bin").statusCode()); // the BMC, through the load balancer, to B
        FetchProof.Fetch proof = record.read();
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); !proof.complete() && System.nanoTime() < deadline; ) {
          Thread.sleep(50);
          proof = record.read();
        }
        assertTrue(proof.complete(), "A proves the fetch B served: " + proof);
        assertEquals(image.length, proof.sent());
        assertFalse(proof.inFlight());
      }
    }
  }
}
