import { ref } from 'vue';
import { toApiError, type ApiError } from '../api/client';

/** Loading and error state every store exposes, plus `run` that fills them around an API call. */
export function requestState() {
  const loading = ref(false);
  const error = ref<ApiError | null>(null);
  /** Runs an API call; resolves to its value, or to undefined after recording the error. */
  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    loading.value = true;
    error.value = null;
    try {
      return await fn();
    } catch (err) {
      error.value = toApiError(err);
      return undefined;
    } finally {
      loading.value = false;
    }
  }
  return { loading, error, run };
}
