package io.jenkins.plugins.kubeplatform.sim.auth;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for the simulated cluster, as kubeadm makes one: it signs the API server's
 * serving certificate (for 127.0.0.1 and localhost) and client certificates whose subject is the user (CN) and its
 * groups (O), which is how Kubernetes reads a client certificate.
 */
public final class SimCertificates {

    private static final Duration VALIDITY = Duration.ofDays(1);
    private final AtomicLong serial = new AtomicLong(1);
    private final KeyPair caKeys;
    private final X509Certificate ca;

    /** A certificate with its private key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {

        public String certificatePem() {
            return pem(certificate);
        }

        public String keyPem() {
            return pem("PRIVATE KEY", key.getEncoded());
        }
    }

    /** Created on first use: an RSA key costs a few hundred milliseconds, too much for every cluster start. */
    private static final class Shared {
        static final SimCertificates INSTANCE = new SimCertificates();
    }

    /**
     * The CA of the simulated clusters of this JVM (all share it): the one whose certificate the root-ca-cert-publisher
     * publishes as {@code kube-root-ca.crt} and that {@code SimulatedCluster.authenticatingFront()} serves with.
     */
    public static SimCertificates shared() {
        return Shared.INSTANCE;
    }

    public SimCertificates() {
        try {
            caKeys = rsa();
            X500Name name = new X500Name("CN=kubeplatform-sim-ca");
            X509v3CertificateBuilder builder = builder(name, name, caKeys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca = sign(builder);
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the simulated cluster's CA", e);
        }
    }

    public X509Certificate ca() {
        return ca;
    }

    public String caPem() {
        return pem(ca);
    }

    /** The API server's serving certificate. */
    public Issued server() {
        try {
            KeyPair keys = rsa();
            X509v3CertificateBuilder builder = builder(new X500Name("CN=kube-apiserver"), issuer(), keys);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            return new Issued(sign(builder), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client certificate for {@code user} in {@code groups} (subject CN=user, O=group...). */
    public Issued client(String user, List<String> groups) {
        try {
            KeyPair keys = rsa();
            X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
            groups.forEach(g -> subject.addRDN(BCStyle.O, g));
            subject.addRDN(BCStyle.CN, user);
            X509v3CertificateBuilder builder = builder(subject.build(), issuer(), keys);
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            return new Issued(sign(builder), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private X500Name issuer() {
        return X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
    }

    private X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial.getAndIncrement()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
    }

    private X509Certificate sign(X509v3CertificateBuilder builder) throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    static String pem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
