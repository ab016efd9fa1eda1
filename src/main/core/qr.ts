import QRCode from 'qrcode'

/** The QR code of an otpauth URI, for the enrollment screen (SVG) and the CLI (PNG file). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
}

/** The same as a PNG image, for the CLI to write where it was asked to (a private file). */
export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 })
}
