package io.jenkins.plugins.kubeplatform.engine.expose;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates made with the JDK's keytool, as PEM text for a kubernetes.io/tls Secret. */
final class TestCertificates {

    /** A certificate for one host and its key (PKCS#8). */
    record Pem(X509Certificate certificate, String certificatePem, String keyPem) {
    }

    private TestCertificates() {
    }

    static Pem selfSigned(Path dir, String host) throws Exception {
        Path store = dir.resolve(host + "-" + System.nanoTime() + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "site", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=" + host, "-ext", "SAN=dns:" + host, "-validity", "2", "-storetype",
                "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate("site");
        byte[] key = ks.getKey("site", "changeit".toCharArray()).getEncoded();
        return new Pem(cert, pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", key));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

}
