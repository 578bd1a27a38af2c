package io.smartupdate.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** A sim BMC flashes only a whole image for the member it was sent to, as a BMC checks an image's signature. */
class SimImageTest {
  private static SimImage.Check fed(byte[] image, int chunk) {
    SimImage.Check check = new SimImage.Check();
    HttpResponse.BodySubscriber<Void> body = check.subscriber(200);
    body.onSubscribe(new Flow.Subscription() {
      @Override public void request(long n) {}
      @Override public void cancel() {}
    });
    for (int at = 0; at < image.length; at += chunk) body.onNext(List.of(ByteBuffer.wrap(image, at, Math.min(chunk, image.length - at))));
    body.onComplete();
    return check;
  }

  @Test
  void aWholeImageArrivingInSmallPiecesPassesAndNamesItsMemberAndVersion() {
    SimImage.Check check = fed(SimImage.build("BIOS", "2.00", 10_000), 7);
    assertNull(check.verdict("BIOS"));
    assertEquals("BIOS", check.header().member());
    assertEquals("2.00", check.header().version());
  }

  @Test
  void oneFlippedByteFailsTheChecksum() {
    byte[] image = SimImage.build("NIC", "2.00", 10_000);
    image[image.length - 1] ^= 1;
    assertTrue(fed(image, 4096).verdict(null).startsWith("checksum mismatch"));
  }

  @Test
  void anImageForAnotherMemberThanTheTargetsIsRefused() {
    assertEquals("the image is for NIC, not the Targets' BMC", fed(SimImage.build("NIC", "2.00", 100), 4096).verdict("BMC"));
  }

  @Test
  void bytesWithoutTheHeaderAreNotAnImageAndANon200AnswerIsNamed() {
    assertTrue(fed(new byte[500], 100).verdict(null).startsWith("not a sim firmware image"));
    SimImage.Check check = new SimImage.Check();
    check.subscriber(404);
    assertEquals("the server answered 404", check.verdict(null));
  }
}
