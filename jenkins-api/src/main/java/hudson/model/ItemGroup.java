package hudson.model;

import java.util.Collection;
import org.springframework.security.access.AccessDeniedException;

/** Stand-in for jenkins-core {@code hudson.model.ItemGroup}. */
public interface ItemGroup<T extends Item> extends PersistenceRoot, ModelObject {

    String getFullName();

    String getFullDisplayName();

    Collection<T> getItems();

    String getUrl();

    T getItem(String name) throws AccessDeniedException;
}
