package io.jenkins.plugins.kubeplatform.engine.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Listable;
import io.fabric8.kubernetes.client.dsl.Watchable;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Watches that fail in ways a real network makes them fail, with a source whose {@code watch()} blocks until released
 * or ends every watch at once: fabric8's {@code watch()} can wait forever for a watch to start (seen with the Vert.x
 * client when the server closes the stream as it opens it), and a proxy can cut every stream before any event. Neither
 * a wait on {@link WatchedObjects} nor {@link HintWatch#open} may depend on a watch that works.
 */
class WatchFailuresTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    /** Pods listed from a mutable list; watch() blocks on {@link #release} for the first {@code hanging} calls. */
    private static final class Source implements Listable<PodList>, Watchable<Pod> {
        final List<String> names = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger version = new AtomicInteger(1);
        final AtomicInteger watchCalls = new AtomicInteger();
        final CountDownLatch firstCall = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        /** Watches returned, in the order they were returned, and the watchers they were opened with. */
        final List<FakeWatch> returned = Collections.synchronizedList(new ArrayList<>());
        final List<Watcher<Pod>> watchers = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch oneReturned = new CountDownLatch(1);
        final CountDownLatch twoReturned = new CountDownLatch(2);
        final int hanging;
        /** Every watch ends as soon as it opened, without an event (a proxy cutting every stream). */
        volatile boolean closeAtOnce;

        Source(int hanging) {
            this.hanging = hanging;
        }

        @Override
        public PodList list() {
            List<Pod> pods = new ArrayList<>();
            synchronized (names) {
                names.forEach(n -> pods.add(new PodBuilder().withMetadata(new ObjectMetaBuilder().withName(n)
                        .withNamespace("shop").withResourceVersion(String.valueOf(version.get())).build()).build()));
            }
            return new PodListBuilder().withNewMetadata().withResourceVersion(String.valueOf(version.get()))
                    .endMetadata().withItems(pods).build();
        }

        @Override
        public PodList list(Integer limitVal, String continueVal) {
            return list();
        }

        @Override
        public PodList list(ListOptions listOptions) {
            return list();
        }

        @Override
        public Watch watch(Watcher<Pod> watcher) {
            return watch(new ListOptions(), watcher);
        }

        @Override
        public Watch watch(String resourceVersion, Watcher<Pod> watcher) {
            return watch(new ListOptions(), watcher);
        }

        @Override
        public Watch watch(ListOptions options, Watcher<Pod> watcher) {
            int call = watchCalls.incrementAndGet();
            firstCall.countDown();
            if (call <= hanging) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw new KubernetesClientException("interrupted while waiting for the watch to start");
                }
            }
            FakeWatch w = new FakeWatch();
            synchronized (returned) {
                watchers.add(watcher);
                returned.add(w);
            }
            oneReturned.countDown();
            twoReturned.countDown();
            if (closeAtOnce) {
                watcher.onClose(new WatcherException("stream closed by the server"));
            }
            return w;
        }
    }

    private static final class FakeWatch implements Watch {
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void close() {
            closed.countDown();
        }
    }

    private static Pod pod(String name, int version) {
        return new PodBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop")
                .withResourceVersion(String.valueOf(version)).build()).build();
    }

    /** Waits on the change signal alone (no list of its own) until {@code name} is seen, at most {@link #BOUND}. */
    private static void awaitName(WatchedObjects<Pod> watched, long seen, String name) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!names(watched).contains(name)) {
            assertThat(deadline - System.nanoTime()).as(name + " seen within " + BOUND).isPositive();
            watched.awaitChange(seen, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            seen = watched.changes();
        }
    }

    private static List<String> names(WatchedObjects<Pod> watched) {
        return watched.list().stream().map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void startReturnsAndAWaitSeesChangesWhileTheWatchNeverOpens() throws Exception {
        Source source = new Source(Integer.MAX_VALUE);
        source.names.add("web-0");
        try (WatchedObjects<Pod> watched = WatchedObjects.start("pods of shop/web", source, ApiRetry.defaults(),
                Progress.lines(l -> { }), Duration.ofMinutes(5))) {
            assertThat(names(watched)).containsExactly("web-0");
            long seen = watched.changes();
            source.names.add("web-1");
            source.version.incrementAndGet();

            // on the change signal alone: await() would list once more at its deadline and hide a wait that saw nothing
            awaitName(watched, seen, "web-1");

            assertThat(names(watched)).as("the new pod, seen by listing again while the watch did not open")
                    .containsExactly("web-0", "web-1");
            assertThat(source.returned).as("no watch ever opened").isEmpty();
        }
    }

    @Test
    void givesUpAWatchThatDoesNotOpenInTimeOpensAnotherAndClosesTheFirstWhenItOpensLate() throws Exception {
        Source source = new Source(1);
        try (WatchedObjects<Pod> watched = WatchedObjects.start("pods of shop/web", source, ApiRetry.defaults(),
                Progress.lines(l -> { }), Duration.ofMillis(300))) {
            assertThat(source.oneReturned.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("a second watch opened")
                    .isTrue();
            Watcher<Pod> second = source.watchers.get(0);
            second.eventReceived(Watcher.Action.ADDED, pod("web-2", 7));
            assertThat(names(watched)).as("the second watch's events are applied").containsExactly("web-2");

            source.release.countDown(); // the first open completes now, long after it was given up
            assertThat(source.twoReturned.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            FakeWatch late = source.returned.get(1);
            assertThat(late.closed.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the late watch is closed")
                    .isTrue();
            source.watchers.get(1).eventReceived(Watcher.Action.ADDED, pod("stale", 3));
            assertThat(names(watched)).as("events of the given-up watch are ignored").containsExactly("web-2");
            assertThat(source.returned.get(0).closed.getCount()).as("the watch in use stays open").isEqualTo(1);
            assertThat(watched.rewatches()).isEqualTo(1);
        }
    }

    @Test
    void listsAgainWhenEveryWatchEndsAtOnceWithoutAnEvent() throws Exception {
        Source source = new Source(0);
        source.closeAtOnce = true;
        source.names.add("web-0");
        try (WatchedObjects<Pod> watched = WatchedObjects.start("pods of shop/web", source, ApiRetry.defaults(),
                Progress.lines(l -> { }), Duration.ofMinutes(5))) {
            long seen = watched.changes();
            source.names.add("web-1");
            source.version.incrementAndGet();

            awaitName(watched, seen, "web-1");

            assertThat(watched.rewatches()).as("watches reopened before the list").isGreaterThanOrEqualTo(
                    WatchedObjects.FLAPPING);
            assertThat(watched.relists()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void closeInterruptsAnOpenStillWaiting() throws Exception {
        Source source = new Source(Integer.MAX_VALUE);
        WatchedObjects<Pod> watched = WatchedObjects.start("pods of shop/web", source, ApiRetry.defaults(),
                Progress.lines(l -> { }), Duration.ofMinutes(5));
        assertThat(source.firstCall.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();

        watched.close();

        assertThat(source.interrupted.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the opener was interrupted")
                .isTrue();
        assertThat(source.returned).isEmpty();
    }

    @Test
    void hintWatchOpenFailsWithAClearMessageWhenTheFirstWatchDoesNotOpenInTime() {
        Source source = new Source(Integer.MAX_VALUE);

        assertThatThrownBy(() -> HintWatch.open(source, p -> { }, () -> { }, Duration.ofMillis(200)))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("the watch did not open within 200 ms");
        source.release.countDown();
    }

}
