package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bouncy Castle's signed jars cannot be in the start-up cache, and a cached class that was linked
 * against them loads and verifies them at every start: a server whose certificate exists must read it,
 * and pick its TLS engine, without loading a single Bouncy Castle class. Each check runs in a class
 * loader of its own, which records what the code under test asks it for.
 */
class StartWithoutBouncyCastleTest {
  @TempDir Path dir;

  @Test
  void existingGeneratedCertificateIsReusedWithoutBouncyCastle() throws Exception {
    CertificateStore.loadOrGenerate(dir, Clock.systemUTC()); // generating needs it: done here, outside
    try (RecordingLoader loader = new RecordingLoader()) {
      Object material = loader.call("io.smartupdate.tls.CertificateStore", "loadOrGenerate",
          new Class<?>[] {Path.class, Clock.class}, dir, Clock.systemUTC());
      loader.call("io.smartupdate.tls.TlsEngines", "namesOcspResponder",
          new Class<?>[] {X509Certificate.class}, ((List<?>) material.getClass().getMethod("chain").invoke(material)).get(0));
      assertTrue(material.toString().contains("reused self-signed"), material.toString());
      assertEquals(List.of(), loader.bouncyCastle(), "Bouncy Castle classes loaded to reuse a certificate");
    }
  }

  @Test
  void operatorPkcs8PemIsReadWithoutBouncyCastle() throws Exception {
    HeldCertificate held = HeldCertificate.builder().commonName("sum.example").addSubjectAlternativeName("sum.example").ecdsa256().build();
    Path cert = Files.writeString(dir.resolve("chain.pem"), "issued for the lab\n" + held.certificatePem());
    Path key = Files.writeString(dir.resolve("key.pem"), held.privateKeyPkcs8Pem());
    try (RecordingLoader loader = new RecordingLoader()) {
      Object material = loader.call("io.smartupdate.tls.CertificateStore", "loadOperator",
          new Class<?>[] {Path.class, Path.class, char[].class}, cert, key, null);
      assertTrue(material.toString().contains("operator " + cert), material.toString());
      assertEquals(List.of(), loader.bouncyCastle(), "Bouncy Castle classes loaded to read PKCS#8 PEM");
    }
  }

  @Test
  void traditionalRsaKeyStillReadsThroughBouncyCastle() throws Exception {
    HeldCertificate held = HeldCertificate.builder().commonName("sum.example").build();
    Path both = Files.writeString(dir.resolve("both.pem"), held.certificatePem() + TestKeys.pkcs1Pem(held.keyPair().getPrivate()));
    try (RecordingLoader loader = new RecordingLoader()) {
      loader.call("io.smartupdate.tls.CertificateStore", "loadOperator",
          new Class<?>[] {Path.class, Path.class, char[].class}, both, null, null);
      assertFalse(loader.bouncyCastle().isEmpty(), "a traditional key needs Bouncy Castle's reader");
    }
  }

  /** This test's class path, parent-first from the platform loader only, recording the Bouncy Castle classes asked for. */
  private static final class RecordingLoader extends URLClassLoader {
    private final List<String> bouncyCastle = Collections.synchronizedList(new ArrayList<>());

    RecordingLoader() throws Exception {
      super(classPath(), ClassLoader.getPlatformClassLoader());
    }

    private static URL[] classPath() throws Exception {
      List<URL> urls = new ArrayList<>();
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        urls.add(Path.of(entry).toUri().toURL());
      }
      return urls.toArray(URL[]::new);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("org.bouncycastle.")) bouncyCastle.add(name);
      return super.loadClass(name, resolve);
    }

    List<String> bouncyCastle() {
      return List.copyOf(bouncyCastle);
    }

    Object call(String type, String method, Class<?>[] parameters, Object... arguments) throws Exception {
      Method target = loadClass(type).getDeclaredMethod(method, parameters);
      target.setAccessible(true);
      return target.invoke(null, arguments);
    }
  }
}
