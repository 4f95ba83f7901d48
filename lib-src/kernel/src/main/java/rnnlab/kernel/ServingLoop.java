package rnnlab.kernel;

import java.util.function.BiPredicate;
import java.util.logging.Logger;

import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.org.zeromq.ZMQ;

/**
 * The loop body that serves the kernel's shell and control sockets in place of rapaio's: it handles a
 * request exactly as upstream's does (set the current message, run the handler, run the deferred
 * actions, close the kernel when shutdown was asked for), but it <em>waits</em> in the socket poll for
 * up to {@link #POLL_MILLIS} instead of polling once and sleeping 50 ms, so a request is picked up as
 * soon as it arrives. Upstream's sleep made every cell wait 0–50 ms before it started (a trivial cell
 * took a median 81 ms to answer here, Python's kernel 11 ms). An {@code intercept} sees every message
 * first and may handle it itself ({@link KernelInterrupts} takes interrupt requests that way).
 */
final class ServingLoop {

    private static final Logger LOGGER = Logger.getLogger(ServingLoop.class.getSimpleName());

    /** The longest wait in one poll; also how soon a stopped loop notices it. */
    static final long POLL_MILLIS = 50;

    private ServingLoop() {
    }

    /**
     * A loop body for {@code channel} (shell or control), to be run with no sleep between iterations.
     *
     * @param intercept sees each message first; returns true if it handled it (then nothing else is done)
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static Runnable body(Channels channels, AbstractChannel channel, String logName,
            BiPredicate<AbstractChannel, Message<?>> intercept) throws ReflectiveOperationException {
        ZMQ.Socket socket = (ZMQ.Socket) Upstream.field(AbstractChannel.class, "socket").get(channel);
        ZMQ.Context ctx = (ZMQ.Context) Upstream.field(AbstractChannel.class, "ctx").get(channel);
        ZMQ.Poller poller = ctx.poller(1);
        poller.register(socket, ZMQ.Poller.POLLIN);
        String prefix = "[" + logName + "]: ";
        return () -> {
            if (poller.poll(POLL_MILLIS) <= 0) {
                return;
            }
            Message<?> message = channel.readMessage();
            if (intercept != null && intercept.test(channel, message)) {
                return;
            }
            MessageType<?> type = message.header().type();
            MessageHandler handler = channels.getHandler(type);
            if (handler == null) {
                LOGGER.severe(prefix + "Unhandled message: " + type.name());
                return;
            }
            LOGGER.info(prefix + "Handling message: " + type.name());
            channels.setMsgId(message.getId());
            try {
                handler.handle(message);
            } catch (Exception e) {
                LOGGER.severe(prefix + "Exception handling " + type.name() + ". " + e.getClass().getSimpleName() + ": "
                        + e.getLocalizedMessage());
            } finally {
                channels.runAfterActions();
            }
            if (channels.isMarkedForShutdown()) {
                LOGGER.info(prefix + "shutting down connection marked for shutdown.");
                channels.close();
            }
        };
    }
}
