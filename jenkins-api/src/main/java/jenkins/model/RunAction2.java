package jenkins.model;

import hudson.model.Action;
import hudson.model.Run;

/** Stand-in for jenkins-core {@code jenkins.model.RunAction2}: an action told which build it is attached to. */
public interface RunAction2 extends Action {

    void onAttached(Run<?, ?> r);

    void onLoad(Run<?, ?> r);
}
