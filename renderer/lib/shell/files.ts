/** A dropped or chosen file as a data URL (what explore.encode takes). */
export function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new Error(`Could not read ${file.name}: ${reader.error?.message ?? 'unknown error'}.`));
    reader.readAsDataURL(file);
  });
}
