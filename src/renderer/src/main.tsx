import { notifyManager, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
// Before the first render: the catalogs loaded and the language chosen.
import './i18n'
import { createQueryClient } from './session/queries'
import './styles.css'

// An answer is drawn in the task it arrives in. TanStack Query's default hands it to a setTimeout, and a
// frame painted in between left the new rows for the frame after: up to 16 ms more per change.
notifyManager.setScheduler(queueMicrotask)

const queryClient = createQueryClient()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
)
