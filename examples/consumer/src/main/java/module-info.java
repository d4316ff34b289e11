/** The example on the module path: it needs the API module only; the backends come in as its service providers. */
module example.consumer {
    requires dev.seqmix;
}
