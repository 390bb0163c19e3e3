package io.jenkins.plugins.kubeplatform.views;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.jelly.JellyContext;
import org.apache.commons.jelly.JellyException;
import org.apache.commons.jelly.expression.Expression;
import org.apache.commons.jelly.expression.ExpressionFactory;
import org.apache.commons.jelly.parser.XMLParser;
import org.kohsuke.stapler.jelly.InternationalizedStringExpression;
import org.kohsuke.stapler.jelly.JellyClassLoaderTearOff;
import org.kohsuke.stapler.jelly.ResourceBundle;

/**
 * Parses one Jelly view the way Stapler does: commons-jelly's XML parser with the expression factory of Stapler's
 * {@code CustomJellyContext}: {@code ${%...}} becomes stapler-jelly's own {@link InternationalizedStringExpression}
 * (key plus an optional JEXL argument list), {@code '%...'} literals inside an expression likewise, everything else
 * goes to Stapler's JEXL factory. (Stapler's own parser class is private and calls a method that only Jenkins' fork
 * of commons-jelly has, so its dispatch is restated here; every expression object is Stapler's.)
 */
final class StaplerViewParser {

    /** What went wrong in one view, with the line it was found on. */
    record Problem(Path file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    /** Stapler's pattern for a quoted resource literal inside a plain expression. */
    private static final Pattern RESOURCE_LITERAL = Pattern.compile("(\"%[^\"]+\")|('%[^']+')");

    private final List<Problem> problems = new ArrayList<>();

    List<Problem> problems() {
        return problems;
    }

    /** Parses {@code view}; every problem (parse failure, i18n argument without a message) is recorded. */
    void check(Path view) throws IOException {
        URL url = view.toUri().toURL();
        // what ResourceBundle.load(url) builds outside a running web application: messages from <view>*.properties
        String u = url.toExternalForm();
        ResourceBundle bundle = new ResourceBundle(u.substring(0, u.lastIndexOf('.')));
        Parser parser = new Parser(view, bundle);
        parser.setContext(new JellyContext());
        try {
            parser.parse(url);
        } catch (Exception e) {
            problems.add(new Problem(view, parser.line(), rootMessage(e)));
        }
        checkEscaping(view);
    }

    /** Markup is only ever built from escaped values: escape-by-default on, no raw output tags. */
    private void checkEscaping(Path view) throws IOException {
        List<String> lines = Files.readAllLines(view, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).replace('"', '\'').contains("<?jelly escape-by-default='true'?>")) {
            problems.add(new Problem(view, 1, "first line must be <?jelly escape-by-default='true'?>"));
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains("<j:out") || line.contains("<st:out")) {
                problems.add(new Problem(view, i + 1, "raw output tag writes unescaped markup"));
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        String cause = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        return root == e ? first : first + " (" + cause + ")";
    }

    static ExpressionFactory jexl() {
        try {
            Field f = JellyClassLoaderTearOff.class.getDeclaredField("EXPRESSION_FACTORY");
            f.setAccessible(true);
            return (ExpressionFactory) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("stapler-jelly has no EXPRESSION_FACTORY", e);
        }
    }

    private final class Parser extends XMLParser implements ExpressionFactory {
        private final Path view;
        private final ResourceBundle bundle;

        Parser(Path view, ResourceBundle bundle) {
            this.view = view;
            this.bundle = bundle;
        }

        int line() {
            return locator == null ? 0 : locator.getLineNumber();
        }

        @Override
        protected ExpressionFactory createExpressionFactory() {
            return this;
        }

        @Override
        public Expression createExpression(String text) throws JellyException {
            if (text.startsWith("%")) {
                return i18n(text);
            }
            Matcher m = RESOURCE_LITERAL.matcher(text);
            if (!m.find()) {
                return jexl().createExpression(text);
            }
            StringBuilder rewritten = new StringBuilder();
            int end = 0;
            int n = 0;
            do {
                rewritten.append(text, end, m.start());
                String literal = m.group();
                i18n(literal.substring(1, literal.length() - 1));
                rewritten.append("__resourceLiteral__").append(n++).append("__.evaluate(context)");
                end = m.end();
            } while (m.find());
            rewritten.append(text.substring(end));
            return jexl().createExpression(rewritten.toString());
        }

        private InternationalizedStringExpression i18n(String text) throws JellyException {
            InternationalizedStringExpression e = new InternationalizedStringExpression(bundle, text);
            if (!e.getArguments().isEmpty()) {
                // with arguments, the key is only a lookup name: without a message the page shows the bare key
                // and drops the arguments, e.g. "Location (latitude,longitude)" renders as "Location ".
                if (bundle.getFormatString(Locale.ENGLISH, e.key) == null) {
                    problems.add(new Problem(view, line(), "${" + text + "} passes " + e.getArguments().size()
                            + " argument(s) to key '" + e.key + "', which has no entry in "
                            + view.getFileName().toString().replaceFirst("\\.jelly$", ".properties")));
                }
            }
            return e;
        }
    }
}
