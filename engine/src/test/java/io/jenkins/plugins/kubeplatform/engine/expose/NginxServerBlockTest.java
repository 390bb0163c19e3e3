package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What one host's configuration looks like, and that free text cannot leave its comment. */
class NginxServerBlockTest {

    private static final NginxServerBlock.Listeners PLAIN = new NginxServerBlock.Listeners("80", null, false);

    @Test
    void listsEveryServerOnceInOrderAndNamesTheOwnerAndBuild() {
        NginxServerBlock block = new NginxServerBlock("shop.default.apps.example.test",
                List.of("10.42.0.12:8080", "10.42.0.11:8080", "10.42.0.12:8080"), PLAIN, new Owner("default", "shop"),
                "job/shop #7", Optional.empty());

        assertThat(block.render()).isEqualTo("""
                # Managed by kubernetes-platform-steps (exposeApp); edits are overwritten.
                # owner default/shop (build job/shop #7)
                # upstream 10.42.0.11:8080 10.42.0.12:8080
                upstream kp.shop.default.apps.example.test {
                    server 10.42.0.11:8080;
                    server 10.42.0.12:8080;
                }
                server {
                    listen 80;
                    server_name shop.default.apps.example.test;
                    location / {
                        proxy_pass http://kp.shop.default.apps.example.test;
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                    }
                }
                """);
    }

    @Test
    void answers503WithoutAReadyEndpoint() {
        String text = new NginxServerBlock("idle.default.apps.example.test", List.of(), PLAIN,
                new Owner("default", "idle"), "", Optional.empty()).render();

        assertThat(text).contains("return 503;").doesNotContain("upstream kp.").doesNotContain("proxy_pass");
    }

    @Test
    void keepsAnAppNameWithNewlinesAndBracesInsideItsComment() {
        String text = new NginxServerBlock("x.default.apps.example.test", List.of("10.0.0.1:80"), PLAIN,
                new Owner("default", "挖财\n}\nserver { listen 81; }"), "job/a #1;\rinclude /etc/passwd",
                Optional.empty()).render();

        assertThat(text.lines().filter(l -> l.startsWith("# owner"))).singleElement().satisfies(l -> assertThat(l)
                .startsWith("# owner default/挖财\\u000a\\u007d\\u000aserver \\u007b listen 81\\u003b \\u007d"));
        assertThat(text.lines().filter(l -> !l.startsWith("#"))).noneMatch(l -> l.contains("listen 81")
                || l.contains("include"));
        assertThat(text.lines().filter(l -> l.contains("{")).count()).isEqualTo(3);
    }

    @Test
    void servesTlsOnTheHttpsListenerAndRedirectsWhenAsked() {
        NginxServerBlock.Tls files = new NginxServerBlock.Tls.Files(Path.of("/etc/ssl/w.crt"), Path.of("/etc/ssl/w.key"));
        String text = new NginxServerBlock("s.default.apps.example.test", List.of("10.0.0.1:80"),
                new NginxServerBlock.Listeners("8080", "8443", true), new Owner("default", "s"), "", Optional.of(files))
                .render();

        assertThat(text).contains("listen 8443 ssl;", "ssl_certificate /etc/ssl/w.crt;", "ssl_certificate_key /etc/ssl/w.key;",
                "return 301 https://$host:8443$request_uri;");
    }

    @Test
    void rejectsCertificatePathsThatCouldAddDirectives() {
        NginxServerBlock.Tls files = new NginxServerBlock.Tls.Files(Path.of("/etc/ssl/w.crt;include"), Path.of("/k"));

        assertThatThrownBy(() -> new NginxServerBlock("s.default.apps.example.test", List.of(), PLAIN,
                new Owner("default", "s"), "", Optional.of(files))).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("certificate file");
    }

    @Test
    void theCatchAllRefusesUnknownTlsNamesWithoutACertificate() {
        assertThat(NginxServerBlock.renderDefaultServer(new NginxServerBlock.Listeners("127.0.0.1:80", "127.0.0.1:443",
                false))).contains("listen 127.0.0.1:80 default_server;", "return 404;",
                "listen 127.0.0.1:443 ssl default_server;", "ssl_reject_handshake on;").doesNotContain("ssl_certificate");
    }
}
