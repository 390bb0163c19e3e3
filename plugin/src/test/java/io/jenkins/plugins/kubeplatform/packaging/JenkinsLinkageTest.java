package io.jenkins.plugins.kubeplatform.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The plugin's compiled classes link against the real Jenkins API: every Jenkins member they reference is in
 * {@code real-signatures.txt} (re-derived from the real sources) with the descriptor the bytecode uses. The
 * stand-in only proves that the plugin compiles against itself; this proves the bytecode would link in Jenkins.
 */
class JenkinsLinkageTest {

    private static final Path PLUGIN_CLASSES = Path.of("target", "classes");
    private static final String LISTBOX_ADD = "  method public hudson.util.ListBoxModel add(java.lang.String)";

    @Test
    void linksEveryJenkinsReferenceOfThePluginToARecordedRealMember() throws IOException {
        JenkinsLinkageCheck.Result result = JenkinsLinkageCheck.check(PLUGIN_CLASSES, recorded());

        Files.write(Path.of("target", "jenkins-linked-members.txt"), result.linkedMembers(), StandardCharsets.UTF_8);
        assertThat(result.problems()).as("references that would not link in Jenkins 2.479.3").isEmpty();
        // not vacuous: the members the global configurations and steps are known to call were checked
        assertThat(result.linkedMembers()).hasSizeGreaterThan(40).contains(
                "hudson.util.ListBoxModel method public hudson.util.ListBoxModel add(java.lang.String)",
                "jenkins.model.Jenkins method public static jenkins.model.Jenkins get() throws "
                        + "java.lang.IllegalStateException");
    }

    @Test
    void reportsAPluginCallWhoseRecordedSignatureDiffers() throws IOException {
        String text = Files.readString(RecordedJenkinsApi.RECORDS, StandardCharsets.UTF_8);
        assertThat(text).contains(LISTBOX_ADD);
        RecordedJenkinsApi planted = RecordedJenkinsApi.parse(
                text.replace(LISTBOX_ADD, "  method public void add(java.lang.String)"));

        List<String> problems = JenkinsLinkageCheck.check(PLUGIN_CLASSES, planted).problems();

        assertThat(problems).isNotEmpty().allMatch(p -> p.contains(
                "invokevirtual hudson/util/ListBoxModel.add(Ljava/lang/String;)Lhudson/util/ListBoxModel; is not in "
                        + "the recorded real API"));
        assertThat(problems).anyMatch(p -> p.startsWith(
                "io/jenkins/plugins/kubeplatform/kube/KubePlatformConfiguration.doFillDefaultClusterItems"));
    }

    @Test
    void reportsAClassFileCallingAMethodWithAWrongDescriptor() throws IOException {
        byte[] wrong = planted(m -> m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "hudson/util/ListBoxModel", "add",
                "(Ljava/lang/String;)V", false));
        byte[] right = planted(m -> {
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "hudson/util/ListBoxModel", "add",
                    "(Ljava/lang/String;)Lhudson/util/ListBoxModel;", false);
            m.visitInsn(Opcodes.POP);
        });

        assertThat(JenkinsLinkageCheck.check(List.of(wrong), recorded()).problems()).containsExactly(
                "example/Planted.use(Lhudson/util/ListBoxModel;)V: invokevirtual "
                        + "hudson/util/ListBoxModel.add(Ljava/lang/String;)V is not in the recorded real API of "
                        + "hudson/util/ListBoxModel or its recorded supertypes");
        assertThat(JenkinsLinkageCheck.check(List.of(right), recorded()).problems()).isEmpty();
    }

    @Test
    void reportsAnInheritedCallTheRealSupertypesDoNotDeclare() throws IOException {
        // ListBoxModel extends ArrayList: size() resolves there; with(String) exists in no real supertype
        byte[] inherited = planted(m -> {
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "hudson/util/ListBoxModel", "size", "()I", false);
            m.visitInsn(Opcodes.POP);
        });
        byte[] missing = planted(m -> {
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "hudson/util/ListBoxModel", "with",
                    "(Ljava/lang/String;)Lhudson/util/ListBoxModel;", false);
            m.visitInsn(Opcodes.POP);
        });

        assertThat(JenkinsLinkageCheck.check(List.of(inherited), recorded()).problems()).isEmpty();
        assertThat(JenkinsLinkageCheck.check(List.of(missing), recorded()).problems()).singleElement()
                .asString().contains("hudson/util/ListBoxModel.with(Ljava/lang/String;)Lhudson/util/ListBoxModel;");
    }

    @Test
    void reportsAPrivateFieldAStaticMismatchAndAProtectedConstructor() throws IOException {
        byte[] bytes = planted(m -> {
            m.visitFieldInsn(Opcodes.GETSTATIC, "hudson/model/Result", "SUCCESS", "Lhudson/model/Result;");
            m.visitFieldInsn(Opcodes.GETFIELD, "hudson/model/Result", "name", "Ljava/lang/String;");
            m.visitInsn(Opcodes.POP);
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "jenkins/model/Jenkins", "get", "()Ljenkins/model/Jenkins;",
                    false);
            m.visitInsn(Opcodes.POP);
            m.visitTypeInsn(Opcodes.NEW, "hudson/model/Computer");
            m.visitInsn(Opcodes.DUP);
            m.visitInsn(Opcodes.ACONST_NULL);
            m.visitMethodInsn(Opcodes.INVOKESPECIAL, "hudson/model/Computer", "<init>", "(Lhudson/model/Node;)V",
                    false);
            m.visitInsn(Opcodes.POP);
        });

        List<String> problems = JenkinsLinkageCheck.check(List.of(bytes), recorded()).problems();

        assertThat(problems).hasSize(3);
        assertThat(problems).anyMatch(p -> p.contains("getfield hudson/model/Result.name:Ljava/lang/String; is not in"));
        assertThat(problems).anyMatch(p -> p.contains("jenkins/model/Jenkins.get()Ljenkins/model/Jenkins; is an "
                + "instance member here but static in Jenkins"));
        assertThat(problems).anyMatch(p -> p.contains("hudson/model/Computer.<init>(Lhudson/model/Node;)V is "
                + "protected in Jenkins"));
    }

    @Test
    void reportsOverridingAFinalJenkinsMethodAndExtendingAFinalType() throws IOException {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "example/PlantedRun", null,
                "hudson/model/Run", null);
        MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC, "getTimeInMillis", "()J", null, null);
        m.visitCode();
        m.visitInsn(Opcodes.LCONST_0);
        m.visitInsn(Opcodes.LRETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        w.visitEnd();
        ClassWriter f = new ClassWriter(0);
        f.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "example/PlantedSecret", null, "hudson/util/Secret", null);
        f.visitEnd();

        assertThat(JenkinsLinkageCheck.check(List.of(w.toByteArray(), f.toByteArray()), recorded()).problems())
                .containsExactlyInAnyOrder(
                        "example/PlantedRun.getTimeInMillis()J: overrides hudson/model/Run.getTimeInMillis()J, "
                                + "which is final in Jenkins",
                        "example/PlantedSecret: extends hudson/util/Secret, which is final in Jenkins");
    }

    @Test
    void erasesGenericRecordsAsJavacDoes() {
        RecordedJenkinsApi api = RecordedJenkinsApi.parse("""
                type example.Box
                  source jenkinsci/jenkins core/src/main/java/example/Box.java
                  declaration public abstract class example.Box<J extends example.Box<J, R>, R extends java.lang.Number & java.lang.Comparable<R>> extends java.lang.Object implements java.lang.Iterable<R>
                  constructor protected <init>(J, java.util.Map<java.lang.String, ? extends R>[])
                  field public final R value
                  method public <U extends R> U first(java.lang.Class<U>, java.lang.Object...)
                  method public static <T> T pick(java.util.List<? super T>)
                """);

        RecordedJenkinsApi.Type box = api.type("example/Box").orElseThrow();
        assertThat(box.superName()).isEqualTo("java/lang/Object");
        assertThat(box.interfaces()).containsExactly("java/lang/Iterable");
        assertThat(box.methods()).containsOnlyKeys("<init>(Lexample/Box;[Ljava/util/Map;)V",
                "first(Ljava/lang/Class;[Ljava/lang/Object;)Ljava/lang/Number;",
                "pick(Ljava/util/List;)Ljava/lang/Object;");
        assertThat(box.fields()).containsOnlyKeys("value:Ljava/lang/Number;");
        assertThat(box.methods().get("pick(Ljava/util/List;)Ljava/lang/Object;").isStatic()).isTrue();
    }

    private static RecordedJenkinsApi recorded() throws IOException {
        return RecordedJenkinsApi.load(RecordedJenkinsApi.RECORDS);
    }

    /** A class {@code example.Planted} whose {@code use(ListBoxModel)} runs {@code body} with the model on the stack. */
    private static byte[] planted(Consumer<MethodVisitor> body) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "example/Planted", null, "java/lang/Object", null);
        MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "use",
                "(Lhudson/util/ListBoxModel;)V", null, null);
        m.visitCode();
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitLdcInsn("x");
        body.accept(m);
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        w.visitEnd();
        return w.toByteArray();
    }
}
