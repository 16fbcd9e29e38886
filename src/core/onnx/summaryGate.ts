// The name of the bool graph input that switches an export's in-graph run summaries on, for the run layer
// (which may read the ONNX layer but not the op registry where the summaries are lowered).
export { SUMMARY_GATE } from '../ops/lowerStats';
