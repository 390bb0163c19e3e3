package io.jenkins.plugins.kubeplatform.standin;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.Extension;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every class of the stand-in must match, line for line, the signature recorded from the real Jenkins source in
 * {@code real-signatures.txt}; a type without a record, or a record without a type, fails too.
 */
class StandInSignaturesTest {

    private static final Set<String> REAL_REPOSITORIES = Set.of("jenkinsci/jenkins",
            "jenkinsci/workflow-step-api-plugin", "jenkinsci/credentials-plugin",
            "jenkinsci/plain-credentials-plugin", "jenkinsci/structs-plugin", "jenkinsci/remoting",
            "jenkinsci/stapler", "jenkinsci/json-lib");

    private static RealSignatures real;
    private static List<Class<?>> standIn;

    @BeforeAll
    static void load() throws IOException, URISyntaxException, ClassNotFoundException {
        real = RealSignatures.load("/real-signatures.txt");
        standIn = standInTypes();
    }

    @Test
    void recordsEveryStandInTypeAndNothingElse() {
        Set<String> classes = new TreeSet<>(standIn.stream().map(Class::getName).toList());
        assertThat(standIn).hasSizeGreaterThan(50);
        assertThat(new TreeSet<>(real.types().keySet())).isEqualTo(classes);
    }

    @TestFactory
    Stream<DynamicTest> matchesTheRealSignatureOfEachType() {
        return standIn.stream().filter(c -> real.types().containsKey(c.getName()))
                .map(c -> DynamicTest.dynamicTest(c.getName(), () -> {
                    List<String> differences = differences(real.types().get(c.getName()).lines(), Signatures.of(c));
                    assertThat(differences).as("%s differs from the recorded real signature "
                            + "(- recorded real line missing from the stand-in, + stand-in line not recorded)",
                            c.getName()).isEmpty();
                }));
    }

    @Test
    void namesTheRealSourceFileOfEveryType() {
        for (RealSignatures.Entry e : real.types().values()) {
            assertThat(e.repository()).as("repository of %s", e.name()).isIn(REAL_REPOSITORIES);
            String topLevel = e.name().contains("$") ? e.name().substring(0, e.name().indexOf('$')) : e.name();
            assertThat(e.path()).as("path of %s", e.name())
                    .endsWith("src/main/java/" + topLevel.replace('.', '/') + ".java");
            assertThat(e.version()).as("stored version read for %s", e.name())
                    .matches("|[0-9a-f]{40}|id:[0-9]+");
        }
    }

    @Test
    void listsEveryTypeInTheDocumentedTable() throws IOException {
        Path doc = Path.of("..", "docs", "jenkins-api-standin.md");
        String text = Files.readString(doc);
        List<String> missing = real.types().keySet().stream()
                .filter(name -> !text.contains("| `" + name.replace('$', '.') + "` |"))
                .toList();
        assertThat(missing).as("stand-in types without a row in %s", doc).isEmpty();
    }

    @Test
    void reportsAChangedReturnTypeOrAMissingMember() {
        List<String> recorded = new ArrayList<>(Signatures.of(hudson.AbortException.class));
        recorded.replaceAll(l -> l.replace("<init>(java.lang.String)", "<init>(java.lang.String, java.lang.Throwable)"));
        assertThat(differences(recorded, Signatures.of(hudson.AbortException.class)))
                .containsExactlyInAnyOrder("- constructor public <init>(java.lang.String, java.lang.Throwable)",
                        "+ constructor public <init>(java.lang.String)");
    }

    @Test
    void describesKindGenericsAndCheckedExceptions() {
        assertThat(Signatures.of(hudson.model.Descriptor.class)).contains(
                "declaration public abstract class hudson.model.Descriptor<T extends hudson.model.Describable<T>>"
                        + " extends java.lang.Object implements jenkins.model.Loadable, hudson.model.Saveable,"
                        + " jenkins.util.io.OnMaster");
        assertThat(Signatures.of(org.jenkinsci.plugins.workflow.steps.StepContext.class))
                .contains("method public abstract <T> T get(java.lang.Class<T>) throws java.io.IOException,"
                        + " java.lang.InterruptedException");
    }

    private static List<String> differences(List<String> recorded, List<String> actual) {
        List<String> out = new ArrayList<>();
        recorded.stream().filter(l -> !actual.contains(l)).forEach(l -> out.add("- " + l));
        actual.stream().filter(l -> !recorded.contains(l)).forEach(l -> out.add("+ " + l));
        return out;
    }

    /** Every public or protected class compiled from the stand-in's sources (nested ones included). */
    private static List<Class<?>> standInTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Extension.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> types = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        for (Path p : files) {
            String name = root.relativize(p).toString().replace('\\', '/').replace('/', '.');
            Class<?> c = Class.forName(name.substring(0, name.length() - ".class".length()), false,
                    StandInSignaturesTest.class.getClassLoader());
            int mods = c.getModifiers();
            if (!c.isAnonymousClass() && !c.isLocalClass() && !c.isSynthetic()
                    && (java.lang.reflect.Modifier.isPublic(mods) || java.lang.reflect.Modifier.isProtected(mods))) {
                types.add(c);
            }
        }
        return types;
    }
}
