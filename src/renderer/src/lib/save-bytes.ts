/**
 * Saves bytes as a file the way a browser does: a Blob behind an <a download>, clicked
 * (download.ts's downloadText does the same for text, which a binary file cannot go through).
 */
export function downloadBytes(fileName: string, bytes: Uint8Array<ArrayBuffer>, type = 'application/gzip'): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
