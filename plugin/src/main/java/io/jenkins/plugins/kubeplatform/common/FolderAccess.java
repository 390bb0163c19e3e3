package io.jenkins.plugins.kubeplatform.common;

import hudson.AbortException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which jobs may use a configured cluster, IP pool, domain suffix or edge tenant: its "Allowed folders and jobs", one
 * entry per line (or comma separated). An entry is a job or folder full name ({@code team-a} allows
 * {@code team-a/web} and everything below {@code team-a}) or a pattern where {@code *} stands for any characters
 * within one name and {@code **} for any characters including {@code /} ({@code team-*}/deploy). An empty list allows
 * every job, as before the setting existed.
 */
public final class FolderAccess {

    private FolderAccess() {
    }

    /** One configured thing a build is about to use, with the setting that lists who may. */
    public record Item(String kind, String name, String allowedJobs, String setting) {
    }

    public static List<String> entries(String text) {
        return text == null ? List.of()
                : Arrays.stream(text.split("[,\\n\\r]+")).map(String::trim).filter(s -> !s.isEmpty())
                        .map(s -> s.replaceAll("^/+|/+$", "")).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether the job with this full name ({@code folder/sub/job}) may use an item with this list. */
    public static boolean allows(String allowedJobs, String job) {
        List<String> entries = entries(allowedJobs);
        return entries.isEmpty() || entries.stream().anyMatch(e -> matches(e, job));
    }

    static boolean matches(String entry, String job) {
        if (!entry.contains("*")) {
            return job.equals(entry) || job.startsWith(entry + "/");
        }
        Pattern pattern = Pattern.compile(glob(entry) + "(/.*)?");
        return pattern.matcher(job).matches();
    }

    private static String glob(String entry) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < entry.length(); i++) {
            char c = entry.charAt(i);
            if (c == '*' && i + 1 < entry.length() && entry.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }

    /** Fails the build, before any cluster call, when {@code job} may not use {@code item}. */
    public static void check(String job, Item item) throws AbortException {
        if (!allows(item.allowedJobs(), job)) {
            throw new AbortException(refusal(job, item));
        }
    }

    public static String refusal(String job, Item item) {
        return "Job '" + job + "' may not use " + item.kind() + " '" + item.name() + "': it is not in "
                + item.setting() + " (" + String.join(", ", entries(item.allowedJobs())) + "). An administrator can "
                + "add the job or its folder there; nothing was changed in the cluster.";
    }

    /** A form problem with an entry, if any: what makes a full name or a pattern unusable. */
    public static Optional<String> problem(String allowedJobs) {
        for (String entry : entries(allowedJobs)) {
            if (entry.contains("//") || entry.contains("***")) {
                return Optional.of("'" + entry + "' is not a folder or job full name (folder/sub/job) or a pattern "
                        + "with * (within one name) or ** (across folders)");
            }
        }
        return Optional.empty();
    }

    /** The form's warning for an empty list while jobs of several teams (top-level folders) could use the item. */
    public static Optional<String> openToEveryone(String allowedJobs, long topLevelFolders, String kind) {
        if (entries(allowedJobs).isEmpty() && topLevelFolders > 1) {
            return Optional.of("Empty: every job in all " + topLevelFolders + " top-level folders may use this "
                    + kind + ". List the folders or jobs allowed to use it.");
        }
        return Optional.empty();
    }
}
