package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

    private static String print(Table table, boolean wide, boolean headers) {
        StringWriter out = new StringWriter();
        table.print(new PrintWriter(out, true), wide, headers);
        return out.toString();
    }

    private static Table sample() {
        return Table.of("IDENTITY", "IP").wide("OWNER")
                .row("shop/web-0", "10.42.0.1", "ci")
                .row("a/b-1", null, "line\nbreak");
    }

    @Test
    void alignsColumnsUnderAHeaderRowWithThreeSpaces() {
        assertThat(print(sample(), false, true)).isEqualTo("""
                IDENTITY     IP
                shop/web-0   10.42.0.1
                a/b-1        -
                """);
    }

    @Test
    void addsWideColumnsAndDropsTheHeaderWhenAsked() {
        assertThat(print(sample(), true, false)).isEqualTo("""
                shop/web-0   10.42.0.1   ci
                a/b-1        -           line?break
                """);
    }
}
