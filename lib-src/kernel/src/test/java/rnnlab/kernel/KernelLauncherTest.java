package rnnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.org.zeromq.SocketType;
import org.rapaio.org.zeromq.ZMQ;

/**
 * The start-up races {@link KernelLauncher} works around. No test here depends on timing: the lost
 * race is reproduced by calling {@code run()} on the test thread, which is exactly what a loop thread
 * that is scheduled before {@code LoopThread.start()} has set {@code running} does.
 */
class KernelLauncherTest {

    /** The upstream defect: a loop thread whose run() gets there before start() has finished ends at once. */
    @Test
    void upstreamLoopThreadThatRunsBeforeStartHasFinishedNeverRunsItsBody() {
        AtomicInteger iterations = new AtomicInteger();
        LoopThread loop = new LoopThread("lost", 1, iterations::incrementAndGet);
        loop.run(); // what the new thread does when it wins the race against "running = true"
        assertEquals(0, iterations.get(),
                "rapaio's LoopThread now sets running before its thread starts: KernelLauncher.restartLoops may be dropped");
    }

    @Test
    void runningCopyRunsItsBodyEvenWhenItsThreadIsFirst() throws Exception {
        AtomicInteger iterations = new AtomicInteger();
        LoopThread[] copy = new LoopThread[1];
        LoopThread original = new LoopThread("Shell-7", 1, () -> {
            if (iterations.incrementAndGet() == 3) {
                copy[0].shutdown();
            }
        });
        copy[0] = KernelLauncher.runningCopy(original);
        assertEquals("Shell-7", copy[0].getName());
        assertFalse(copy[0].isAlive());
        copy[0].run(); // before start(): the upstream thread would end here without an iteration
        assertEquals(3, iterations.get());
    }

    /**
     * A kernel whose heartbeat loop was lost (its thread ended without serving) answers pings again
     * after restartLoops, and every loop channel then has a new, live loop thread.
     */
    @Test
    void restartLoopsRevivesALostHeartbeatAndReplacesEveryLoopThread() throws Exception {
        int[] ports = freePorts(5);
        ConnectionProperties props = new ConnectionProperties(ports[0], ports[1], "tcp", "hmac-sha256",
                ports[2], ports[3], "127.0.0.1", ports[4], "test-key");
        Channels channels = new Channels(props);
        List<LoopThread> before = new ArrayList<>();
        try {
            for (String name : KernelLauncher.LOOP_CHANNELS) {
                ((AbstractChannel) get(channels, Channels.class, name)).bind(props);
                before.add(loopThread(channels, name));
            }
            LoopThread heartbeat = loopThread(channels, "heartbeat");
            heartbeat.shutdown(); // the heartbeat thread is gone, as after a lost race
            heartbeat.join();

            KernelLauncher.restartLoops(channels);

            for (int i = 0; i < before.size(); i++) {
                LoopThread now = loopThread(channels, KernelLauncher.LOOP_CHANNELS.get(i));
                assertNotSame(before.get(i), now);
                assertFalse(before.get(i).isAlive());
                assertTrue(now.isAlive(), KernelLauncher.LOOP_CHANNELS.get(i) + " loop is not running");
                assertEquals(before.get(i).getName(), now.getName());
            }
            try (ZMQ.Context ctx = ZMQ.context(1); ZMQ.Socket ping = ctx.socket(SocketType.REQ)) {
                ping.setReceiveTimeOut(120_000); // only so that a broken fix fails instead of hanging
                ping.setLinger(0);
                ping.connect(props.formatAddress(props.hbPort()));
                byte[] payload = "ping".getBytes(StandardCharsets.UTF_8);
                ping.send(payload);
                assertArrayEquals(payload, ping.recv(), "the heartbeat did not echo the ping");
            }
        } finally {
            for (String name : KernelLauncher.LOOP_CHANNELS) {
                LoopThread t = loopThread(channels, name);
                if (t != null) {
                    t.shutdown();
                    t.join();
                }
            }
            channels.close();
        }
    }

    private static LoopThread loopThread(Channels channels, String name) throws ReflectiveOperationException {
        Object channel = get(channels, Channels.class, name);
        return (LoopThread) get(channel, channel.getClass(), "loopThread");
    }

    private static Object get(Object target, Class<?> type, String name) throws ReflectiveOperationException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
