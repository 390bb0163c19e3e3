package io.jenkins.plugins.kubeplatform.cli.demo;

/** One capability shown by {@code kubeplatform demo}: it acts on the simulated cluster and prints what happened. */
interface DemoSection {

    /** Short name for {@code --only}. */
    String name();

    /** One line saying what the section shows. */
    String title();

    /** Runs the section; a failure is an exception (the demo then exits 1). */
    void run(DemoEnvironment env) throws Exception;
}
