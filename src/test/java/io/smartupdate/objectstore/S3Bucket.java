package io.smartupdate.objectstore;

import io.smartupdate.testing.HeldRead;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API in-process: S3Proxy over a directory (its filesystem backend), with AWS v4
 * signatures, a client to put objects, and a count of the object GETs it answered. The server
 * finds the credentials through the AWS chain's system properties, as an operator's environment
 * would give them.
 */
public final class S3Bucket implements AutoCloseable {
  public static final String ACCESS = "smartupdate-test";
  public static final String SECRET = "smartupdate-test-secret";
  public static final String NAME = "firmware";
  /** The name the filesystem backend writes an object under until its PUT completes. */
  private static final Pattern WRITING = Pattern.compile("-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

  private final Path dir;
  private final AtomicInteger gets = new AtomicInteger();
  private final AtomicReference<HeldRead> nextHold = new AtomicReference<>();
  private S3Proxy proxy;
  private int port;
  private final S3Client client;

  public S3Bucket(Path dir) throws Exception {
    this.dir = Files.createDirectories(dir);
    System.setProperty("aws.accessKeyId", ACCESS);
    System.setProperty("aws.secretAccessKey", SECRET);
    Files.createDirectories(dir.resolve(NAME));
    start(0);
    client = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1).endpointOverride(endpoint())
        .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build();
  }

  private void start(int onPort) throws Exception {
    BlobStore counting = new ForwardingBlobStore(new FilesystemNio2BlobStore(dir.toString())) {
      @Override
      public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        gets.incrementAndGet();
        ResponseInputStream<GetObjectResponse> blob = super.getBlob(request);
        HeldRead hold = nextHold.getAndSet(null);
        return hold == null ? blob : new ResponseInputStream<>(blob.response(), hold.wrap(blob));
      }

      // The filesystem backend writes an object as "<key>-<uuid>" and lists that name until the rename; S3 never
      // lists an object before its PUT completed, and a test reading the listing must see what S3 would show.
      @Override
      public ListObjectsV2Response list(ListObjectsV2Request request) {
        ListObjectsV2Response listed = super.list(request);
        List<S3Object> complete = listed.contents().stream().filter(o -> !WRITING.matcher(o.key()).find()).toList();
        return complete.size() == listed.contents().size() ? listed
            : listed.toBuilder().contents(complete).keyCount(complete.size() + listed.commonPrefixes().size()).build();
      }
    };
    proxy = S3Proxy.builder().blobStore(counting).endpoint(URI.create("http://127.0.0.1:" + onPort))
        .awsAuthentication(AuthenticationType.AWS_V4, ACCESS, SECRET).build();
    proxy.start();
    while (!proxy.getState().equals("STARTED")) Thread.sleep(10);
    port = proxy.getPort();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The server's view of this bucket under {@code prefix}, cached in {@code cache}. */
  public ObjectStoreConfig config(String prefix, Path cache, long cacheSize) {
    return new ObjectStoreConfig(NAME, prefix, endpoint(), "us-east-1", cache, cacheSize, Duration.ofMillis(300));
  }

  public void put(String key, byte[] bytes) {
    put(key, bytes, Map.of());
  }

  /** Puts an object with user metadata ({@code sha256} goes out as x-amz-meta-sha256), as {@code aws s3 cp --metadata} does. */
  public void put(String key, byte[] bytes, Map<String, String> metadata) {
    client.putObject(b -> b.bucket(NAME).key(key).metadata(metadata), RequestBody.fromBytes(bytes));
  }

  /** The next object GET sends {@code bytes} bytes, then holds until the test releases it or makes it fail. */
  public HeldRead holdNextGet(long bytes) {
    HeldRead hold = new HeldRead(bytes);
    nextHold.set(hold);
    return hold;
  }

  /** Object GETs answered so far. */
  public int gets() {
    return gets.get();
  }

  /** The bucket goes away (its port refuses connections). */
  public void stop() throws Exception {
    proxy.stop();
  }

  /** The bucket is back on the same port. */
  public void restart() throws Exception {
    start(port);
  }

  @Override
  public void close() throws Exception {
    client.close();
    proxy.stop();
  }
}
