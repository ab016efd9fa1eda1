// qrcode is loaded when a QR code is first drawn (an enrollment), not by every start of the CLI or the app.
const qrcode = async () => (await import('qrcode')).default

/** The QR code of an otpauth URI, for the enrollment screen (SVG) and the CLI (PNG file). */
export async function qrSvg(text: string): Promise<string> {
  return (await qrcode()).toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
}

/** The same as a PNG image, for the CLI to write where it was asked to (a private file). */
export async function qrPng(text: string): Promise<Buffer> {
  return (await qrcode()).toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 })
}
