package hudson.model;

/** Stand-in for jenkins-core {@code hudson.model.Api}: serves an exported bean as {@code .../api/json} and xml. */
public class Api extends AbstractModelObject {

    public final Object bean;

    public Api(Object bean) {
        this.bean = bean;
    }

    public String getDisplayName() {
        return "API";
    }
}
