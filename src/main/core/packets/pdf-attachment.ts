import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString, PDFHexString } from 'pdf-lib';

/** The name under which a PDF packet carries its signed packet (an embedded file). */
export const PACKET_ATTACHMENT = 'panelist-packet.json';

/** The printed pages with the signed packet attached, so that the PDF can be verified like the other formats. */
export async function attachPacket(pdf: Uint8Array, signedJson: string, title: string): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf);
  doc.setTitle(title);
  doc.setProducer('Panelist');
  await doc.attach(Buffer.from(signedJson, 'utf8'), PACKET_ATTACHMENT, {
    mimeType: 'application/json',
    description: 'The signed decision packet (verify with: panelist verify-packet FILE)',
  });
  // A fixed ID and dates would make the file reproducible; the signed packet inside is what is verified.
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** The signed packet a PDF carries, parsed; null when it carries none. */
export async function embeddedPacket(pdf: Buffer): Promise<unknown> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict)?.lookupMaybe(PDFName.of('Names'), PDFArray);
  if (!names) return null;
  for (let i = 0; i + 1 < names.size(); i += 2) {
    const name = names.lookup(i);
    const text = name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : '';
    if (text !== PACKET_ATTACHMENT) continue;
    const stream = names.lookup(i + 1, PDFDict).lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F'));
    if (!(stream instanceof PDFRawStream)) return null;
    return JSON.parse(Buffer.from(decodePDFRawStream(stream).decode()).toString('utf8'));
  }
  return null;
}
