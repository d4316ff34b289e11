package dev.seqmix.opencl;

import dev.seqmix.BackendInfo;

/** Prints the provider's probe: the entry point of the child JVMs that {@link OpenClFaultsTest} starts. */
public final class ProbeMain {
    private ProbeMain() {
    }

    public static void main(String[] args) {
        BackendInfo info = new OpenClProvider().probe();
        System.out.println("available=" + info.available());
        System.out.println("detail=" + info.detail());
    }
}
