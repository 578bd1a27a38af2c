package io.smartupdate.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate and its key pair, in the spirit of okhttp-tls {@code HeldCertificate}.
 *
 * <pre>{@code
 * HeldCertificate server = HeldCertificate.builder()
 *     .commonName("sum.example")
 *     .addSubjectAlternativeName("sum.example")
 *     .addSubjectAlternativeName("192.0.2.7")
 *     .validity(now, now.plus(Duration.ofDays(365)))
 *     .build();
 * }</pre>
 */
public final class HeldCertificate {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  // The JDK refuses to parse a certificate whose dNSName breaks these rules, so refuse to write one.
  private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  private final X509Certificate certificate;
  private final KeyPair keyPair;

  private HeldCertificate(X509Certificate certificate, KeyPair keyPair) {
    this.certificate = certificate;
    this.keyPair = keyPair;
  }

  /** A builder for a self-signed RSA-2048 server certificate valid for 24 hours unless told otherwise. */
  public static Builder builder() {
    return new Builder();
  }

  /** The certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The certificate's key pair. */
  public KeyPair keyPair() {
    return keyPair;
  }

  /** The certificate as PEM ({@code BEGIN CERTIFICATE}). */
  public String certificatePem() {
    try {
      return Pem.encode("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode a certificate built here", e);
    }
  }

  /** The private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
  public String privateKeyPkcs8Pem() {
    return Pem.encode("PRIVATE KEY", keyPair.getPrivate().getEncoded());
  }

  /** Collects names, validity, key type and issuer; {@link #build()} generates the key and signs. */
  public static final class Builder {
    private String commonName;
    private final Set<GeneralName> altNames = new LinkedHashSet<>();
    private Instant notBefore;
    private Instant notAfter;
    private boolean ecdsa;
    private HeldCertificate issuer;
    private int maxPathLen = -1;

    private Builder() {}

    /** The subject's CN; a random UUID if never set. */
    public Builder commonName(String commonName) {
      Objects.requireNonNull(commonName, "commonName == null");
      if (commonName.isBlank()) throw new IllegalArgumentException("commonName is blank");
      this.commonName = commonName;
      return this;
    }

    /** Adds a host name (dNSName) or an IPv4/IPv6 literal (iPAddress); an IPv6 {@code %scope} is dropped. */
    public Builder addSubjectAlternativeName(String name) {
      Objects.requireNonNull(name, "name == null");
      altNames.add(generalName(name.trim()));
      return this;
    }

    /** Validity window; X.509 keeps whole seconds, so both ends are truncated to the second. */
    public Builder validity(Instant notBefore, Instant notAfter) {
      Objects.requireNonNull(notBefore, "notBefore == null");
      Objects.requireNonNull(notAfter, "notAfter == null");
      if (!notBefore.isBefore(notAfter)) {
        throw new IllegalArgumentException("notBefore " + notBefore + " is not before notAfter " + notAfter);
      }
      this.notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
      this.notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
      return this;
    }

    /** An RSA 2048-bit key (the default), which every TLS client accepts. */
    public Builder rsa2048() {
      ecdsa = false;
      return this;
    }

    /** An ECDSA key on P-256. */
    public Builder ecdsa256() {
      ecdsa = true;
      return this;
    }

    /** Signs with {@code issuer}'s key instead of self-signing. */
    public Builder signedBy(HeldCertificate issuer) {
      this.issuer = Objects.requireNonNull(issuer, "issuer == null");
      return this;
    }

    /** Makes this a CA that may sign {@code maxPathLen} intermediate CAs below it (0 = leaves only). */
    public Builder certificateAuthority(int maxPathLen) {
      if (maxPathLen < 0) throw new IllegalArgumentException("maxPathLen < 0: " + maxPathLen);
      this.maxPathLen = maxPathLen;
      return this;
    }

    /** Generates the key pair and signs the certificate. */
    public HeldCertificate build() {
      Instant start = notBefore != null ? notBefore : Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Instant end = notAfter != null ? notAfter : start.plus(Duration.ofDays(1));
      KeyPair keyPair = generateKeyPair();
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
          .addRDN(BCStyle.CN, commonName != null ? commonName : UUID.randomUUID().toString())
          .build();
      X500Name issuerName = issuer == null
          ? subject
          : X500Name.getInstance(issuer.certificate.getSubjectX500Principal().getEncoded());
      PrivateKey signingKey = issuer == null ? keyPair.getPrivate() : issuer.keyPair.getPrivate();
      // 128 random bits with the top bit set: unpredictable, positive, and always the same length.
      BigInteger serial = new BigInteger(128, RANDOM).setBit(127);
      try {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
            issuerName, serial, Date.from(start), Date.from(end), subject, keyPair.getPublic());
        addExtensions(builder, keyPair);
        ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(signingKey))
            .setProvider(BouncyCastle.PROVIDER)
            .build(signingKey);
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        return new HeldCertificate(certificate, keyPair);
      } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
        throw new IllegalStateException("cannot build certificate: " + e.getMessage(), e);
      }
    }

    private void addExtensions(X509v3CertificateBuilder builder, KeyPair keyPair)
        throws GeneralSecurityException, IOException {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          utils.createSubjectKeyIdentifier(keyPair.getPublic()));
      if (issuer != null) {
        builder.addExtension(Extension.authorityKeyIdentifier, false,
            utils.createAuthorityKeyIdentifier(issuer.certificate));
      }
      if (!altNames.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(altNames.toArray(GeneralName[]::new)));
      }
      if (maxPathLen >= 0) {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(maxPathLen));
        builder.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      } else {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        // keyEncipherment only means something for RSA key transport; EC keys may only sign.
        int usage = ecdsa ? KeyUsage.digitalSignature : KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      }
    }

    private KeyPair generateKeyPair() {
      try {
        if (ecdsa) {
          KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
          generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
          return generator.generateKeyPair();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        return generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JDK cannot generate " + (ecdsa ? "EC P-256" : "RSA-2048") + " keys", e);
      }
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    switch (key.getAlgorithm()) {
      case "RSA":
        return "SHA256withRSA";
      case "EC":
      case "ECDSA":
        return "SHA256withECDSA";
      default:
        throw new IllegalArgumentException("issuer key algorithm not supported: " + key.getAlgorithm());
    }
  }

  private static GeneralName generalName(String name) {
    if (name.isEmpty()) throw new IllegalArgumentException("name is empty");
    String literal = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
    int scope = literal.indexOf('%');
    if (scope >= 0 && literal.indexOf(':') >= 0) literal = literal.substring(0, scope);
    if (IPV4.matcher(literal).matches() || IPV6.matcher(literal).matches()) {
      try {
        // Only characters of literals get here, so InetAddress parses and never asks DNS.
        byte[] address = InetAddress.getByName(literal).getAddress();
        return new GeneralName(GeneralName.iPAddress, new DEROctetString(address));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("name is not a valid IP address: " + name, e);
      }
    }
    String host = name.startsWith("*.") ? name.substring(2) : name;
    if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
    if (host.length() > 253 || !host.chars().allMatch(c -> c < 128)) {
      throw new IllegalArgumentException("name is not a valid host name: " + name);
    }
    for (String label : host.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("name is not a valid host name: " + name);
      }
    }
    return new GeneralName(GeneralName.dNSName, name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
  }
}
