// The element arrays a runnable state_dict holds: float32 parameters and buffers, int64 counters.

/** `num_batches_tracked` is int64; everything else a model runs with is float32. */
export type StateTensor = Float32Array | BigInt64Array;

export type StateDict = Map<string, StateTensor>;
