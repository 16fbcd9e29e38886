// Public surface of the weights layer: safetensors I/O, seeded PyTorch-default init, state_dict loading.
export { readSafetensors, SafetensorsError, type SafetensorsFile, type StoredTensor } from './readSafetensors';
export { writeSafetensors } from './writeSafetensors';
export { type SafetensorsDtype, dtypeFromCode, codeFromDtype, dtypeSize } from './safetensorsDtype';
export { type TensorData, type TensorArray, arrayTypeFor, shapeNumel } from './tensorData';
export { toFloat32, halfToNumber } from './toFloat32';
export { Rng } from './rng';
export { initTensor, initStats, leakyReluGain, type InitStats } from './initTensor';
export { initStateDict } from './initStateDict';
export { loadStateDict, StateDictError, type LoadedStateDict, type ShapeMismatch } from './loadStateDict';
export type { StateDict, StateTensor } from './stateTensor';
export { readWeightsFile, describeWeights, WEIGHTS_EXTENSIONS, type WeightsFile, type ReadWeightsOptions } from './readWeightsFile';
export { readCheckpoint, type Checkpoint, type StateDictCandidate } from './checkpoint/readCheckpoint';
export { CheckpointError } from './checkpoint/readTorchFile';
export { weightChanges, moduleChanges, type WeightChange } from './weightChange';
