package rnnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.message.messages.ShellKernelInfoReply;

/** The early answers {@link EarlyChannels} gives before JShell exists must be the kernel's own. */
class EarlyChannelsTest {

    /** The kernel_info_reply sent before the kernel exists equals the one rapaio's kernel builds itself. */
    @Test
    void earlyKernelInfoEqualsTheKernelsOwn() throws Exception {
        RapaioKernel kernel = new RapaioKernel();
        Method own = RapaioKernel.class.getDeclaredMethod("kernelInfo");
        own.setAccessible(true);
        ShellKernelInfoReply expected = (ShellKernelInfoReply) own.invoke(kernel);
        assertEquals(expected, EarlyChannels.kernelInfo(),
                "rapaio's kernel_info_reply changed: update EarlyChannels.kernelInfo to build the same reply");
    }

    /** The early handler table has exactly the message types of the kernel's own table. */
    @Test
    void earlyTableHasTheKernelsMessageTypes() throws Exception {
        ConnectionProperties props = new ConnectionProperties(1, 2, "tcp", "hmac-sha256", 3, 4, "127.0.0.1", 5, "test-key");
        Channels channels = new Channels(props); // not bound: only its handler table is used
        try {
            Set<String> kernels = new HashSet<>();
            KernelLauncher.installHandlers(channels, new RapaioKernel(), null).keySet().forEach(t -> kernels.add(t.name()));
            Set<String> early = new HashSet<>();
            EarlyChannels.HANDLED.forEach(t -> early.add(t.name()));
            assertEquals(EarlyChannels.HANDLED.size(), early.size(), "a message type is listed twice");
            assertEquals(kernels, early);
        } finally {
            channels.close();
        }
    }
}
