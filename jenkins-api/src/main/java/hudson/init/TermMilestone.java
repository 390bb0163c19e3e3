package hudson.init;

/** Stand-in for jenkins-core {@code hudson.init.TermMilestone}: the milestones of Jenkins' shutdown, in order. */
public enum TermMilestone {
    STARTED("Started termination"),
    COMPLETED("Completed termination");

    private final String message;

    TermMilestone(String message) {
        this.message = message;
    }

    @Override
    public String toString() {
        return message;
    }
}
